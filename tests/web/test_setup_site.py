"""`make run`'s first-run step: demo content when the site is empty, an admin account when there is none."""

from io import StringIO

import pytest
from django.core.management import call_command

from byline.accounts.models import User
from byline.journalists.models import Journalist
from byline.newsroom.models import Article, Section
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def setup_site(**kwargs) -> str:
    out = StringIO()
    call_command("setup_site", stdout=out, **kwargs)
    return out.getvalue()


def test_first_run_loads_demo_newsroom_and_creates_an_admin(monkeypatch):
    monkeypatch.delenv("BYLINE_ADMIN_PASSWORD", raising=False)
    output = setup_site()

    assert Section.objects.count() >= 3
    assert Journalist.objects.count() >= 4
    assert all(j.bio_html for j in Journalist.objects.all())
    assert Article.objects.live().count() >= 12
    assert max(a.word_count for a in Article.objects.all()) >= 2000
    admin = User.objects.get(is_superuser=True)
    password = output.split("password: ")[1].split()[0]
    assert admin.check_password(password)


def test_demo_articles_each_have_a_journalist_and_render(client):
    setup_site()
    for article in Article.objects.live():
        assert article.ordered_journalists, article.headline
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, article.headline


def test_demo_has_a_scheduled_and_a_draft_article_that_readers_cannot_see(client):
    setup_site()
    hidden = Article.objects.exclude(pk__in=Article.objects.live())
    assert hidden.filter(status=Article.Status.DRAFT).exists()
    assert hidden.filter(status=Article.Status.SCHEDULED).exists()
    home = client.get("/").content.decode()
    for article in hidden:
        assert article.headline not in home


def test_second_run_changes_nothing(monkeypatch):
    monkeypatch.setenv("BYLINE_ADMIN_PASSWORD", "a-long-admin-password")
    setup_site()
    counts = (Article.objects.count(), User.objects.count())
    output = setup_site()
    assert (Article.objects.count(), User.objects.count()) == counts
    assert "password" not in output


def test_site_with_articles_gets_no_demo_content():
    ArticleFactory()
    setup_site()
    assert Article.objects.count() == 1


def test_admin_credentials_can_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("BYLINE_ADMIN_USERNAME", "editor-in-chief")
    monkeypatch.setenv("BYLINE_ADMIN_PASSWORD", "a-long-admin-password")
    output = setup_site(no_demo=True)
    admin = User.objects.get(username="editor-in-chief")
    assert admin.check_password("a-long-admin-password")
    assert "a-long-admin-password" not in output
