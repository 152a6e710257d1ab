"""Running an import twice changes nothing; --dry-run writes nothing; a changed export updates in place."""

import io

import pytest
from django.core.management import call_command

from byline.comments.models import Comment
from byline.imports.models import ImportedIdentity, ImportRun
from byline.journalists.models import Journalist
from byline.newsroom.models import Article, ArticleRedirect, Byline, Section, Tag
from tests.imports.wxr import FIXTURES, write, wxr, wxr_comment, wxr_item

pytestmark = pytest.mark.django_db

MODELS = (Article, ArticleRedirect, Byline, Comment, Journalist, Section, Tag, ImportedIdentity)


def snapshot() -> dict:
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    for rows in state.values():
        for row in rows:
            row.pop("updated_at", None)
    return state


def test_a_second_wordpress_run_changes_nothing(import_wordpress, import_disqus):
    import_wordpress()
    import_disqus()
    before = snapshot()
    report = import_wordpress()
    disqus_report = import_disqus()
    assert snapshot() == before
    assert sum(report.created.values()) == sum(report.updated.values()) == 0
    assert report.unchanged["article"] == 7 and report.unchanged["comment"] == 7
    assert sum(disqus_report.created.values()) == sum(disqus_report.updated.values()) == 0


def test_a_dry_run_reports_everything_and_writes_nothing(import_wordpress):
    report = import_wordpress(dry_run=True)
    assert report.created["article"] == 7 and report.created["comment"] == 7
    assert "Dry run — nothing was written." in report.render()
    assert not Article.objects.exists() and not Comment.objects.exists() and not ImportRun.objects.exists()


def test_the_command_prints_the_report_and_honours_dry_run():
    out = io.StringIO()
    call_command(
        "import_wordpress", str(FIXTURES / "wordpress-1.2.xml"), "--dry-run", "--no-progress", stdout=out
    )
    assert "Dry run — nothing was written. Import of wordpress-1.2.xml" in out.getvalue()
    assert not Article.objects.exists()


def test_the_command_turns_a_bad_file_into_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not XML"):
        call_command("import_wordpress", str(write(tmp_path, "hello")), "--no-progress")


def test_a_comment_approved_since_the_last_export_is_updated_and_counted(tmp_path, import_wordpress):
    held = wxr(wxr_item(1, comments=wxr_comment(7, approved="0", body="held for a while")))
    import_wordpress(write(tmp_path, held))
    article = Article.objects.get()
    assert article.comment_count == 0
    report = import_wordpress(
        write(tmp_path, held.replace("<wp:comment_approved>0", "<wp:comment_approved>1"))
    )
    assert report.updated["comment"] == 1
    article.refresh_from_db()
    assert Comment.objects.get().status == Comment.Status.APPROVED
    assert article.comment_count == 1


def test_a_comment_trashed_since_the_last_export_stops_being_counted(tmp_path, import_wordpress):
    shown = wxr(wxr_item(1, comments=wxr_comment(7, body="soon gone")))
    import_wordpress(write(tmp_path, shown))
    import_wordpress(write(tmp_path, shown.replace("<wp:comment_approved>1", "<wp:comment_approved>trash")))
    assert Comment.objects.get().is_removed
    assert Article.objects.get().comment_count == 0


def test_a_post_edited_since_the_last_export_is_updated_not_duplicated(tmp_path, import_wordpress):
    import_wordpress(write(tmp_path, wxr(wxr_item(1, title="First title"))))
    report = import_wordpress(write(tmp_path, wxr(wxr_item(1, title="Better title"))))
    assert report.updated["article"] == 1
    assert list(Article.objects.values_list("headline", flat=True)) == ["Better title"]


def test_progress_prints_plain_lines_when_not_on_a_terminal(tmp_path):
    from byline.imports.wordpress import WordPressImporter

    items = "".join(wxr_item(n, comments=wxr_comment(n)) for n in range(1, 6))
    stream = io.StringIO()
    WordPressImporter(path=write(tmp_path, wxr(items)), progress_stream=stream).run()
    lines = stream.getvalue().splitlines()
    assert lines and "\r" not in stream.getvalue()
    assert lines[-1].startswith("progress 100% (")
    assert "posts=5 comments=5" in lines[-1] and "records/s" in lines[-1]


def test_progress_draws_a_bar_on_a_terminal(tmp_path):
    from byline.imports.wordpress import WordPressImporter

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    WordPressImporter(
        path=write(tmp_path, wxr(wxr_item(1, comments=wxr_comment(1)))), progress_stream=stream
    ).run()
    assert "\r[##############################] 100%  posts=1 comments=1" in stream.getvalue()
