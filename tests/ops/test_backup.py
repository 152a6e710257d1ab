"""`byline backup` then `byline restore` gives back every row exactly, on SQLite and on PostgreSQL."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from byline.comments.models import Comment
from byline.newsroom.models import Article
from tests.factories import ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def every_row() -> dict[str, list[dict]]:
    """Every row of every table Django knows, including many-to-many link tables, in primary-key order."""
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        snapshot[model._meta.db_table] = list(model._base_manager.order_by("pk").values())
    return snapshot


def newsroom_with_comments() -> None:
    tag = TagFactory(name="Transit")
    for n in range(3):
        article = ArticleFactory(headline=f"Ferry story {n}", body_source="Ünïcode — “quotes” and emoji 🚢.")
        article.tags.add(tag)
        Comment.objects.create(
            article=article,
            author=UserFactory(),
            body_source="First!",
            body_html="<p>First!</p>",
            status="approved",
        )


def test_restoring_a_backup_brings_back_every_row_and_forgets_later_changes(tmp_path: Path, capsys):
    newsroom_with_comments()
    before = every_row()
    assert sum(len(rows) for rows in before.values()) > 20
    target = tmp_path / "site.backup"
    call_command("backup", output=str(target))
    assert "Backup written to" in capsys.readouterr().out
    assert target.stat().st_mode & 0o077 == 0, "a backup must be readable by its owner only"

    Article.objects.filter(headline="Ferry story 0").delete()
    ArticleFactory(headline="Written after the backup")
    Comment.objects.update(body_source="edited")
    assert every_row() != before

    call_command("restore", str(target), interactive=False)
    after = every_row()
    for table, rows in before.items():
        assert after[table] == rows, table
    # Sequences came back too: a new row does not collide with a restored one.
    ArticleFactory(headline="After the restore")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    newsroom_with_comments()
    before = every_row()
    with pytest.raises(CommandError):
        call_command("restore", str(bogus), interactive=False)
    assert every_row() == before


def test_restore_without_a_file_says_so(tmp_path: Path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing"), interactive=False)
