"""A signed-in reader's article page is joined from a kept shell (byline.web.page_shell) around their own
parts: it must be the page the templates render, and what is theirs must be theirs, on every view."""

import re

import pytest
from django.test import Client

from byline.comments.models import Comment
from byline.web import page_shell
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'value="[A-Za-z0-9]{64}"')


@pytest.fixture
def article():
    harbour = SectionFactory(name="Harbour", slug="harbour")
    story = ArticleFactory(section=harbour, headline="Tide tables move")
    CommentFactory(article=story, body_source="Useful for the early boats.")
    return story


def signed_in(name: str) -> tuple[Client, object]:
    client, user = Client(), UserFactory(display_name=name)
    client.force_login(user)
    return client, user


def view(client: Client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_joined_page_is_the_rendered_page(article, settings, monkeypatch):
    reader, _ = signed_in("Pat Reader")
    views = [view(reader, article) for _ in range(3)]  # rendered, then joined from a new and a kept shell
    joins = []
    original = page_shell.article_page
    monkeypatch.setattr(page_shell, "article_page", lambda *a, **k: joins.append(1) or original(*a, **k))
    views.append(view(reader, article))
    assert joins, "the fourth view was not joined from a shell"
    settings.BYLINE_PAGE_CACHE = False
    rendered = view(reader, article)
    assert {TOKEN.sub("", page) for page in views} == {TOKEN.sub("", rendered)}
    # One CSRF token for the whole page (the header's sign-out form and every comment form).
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', views[-1]))
    assert len(tokens) == 1


def test_each_reader_gets_their_own_name_and_token(article):
    pat, _ = signed_in("Pat Reader")
    sam, _ = signed_in("Sam Other")
    view(pat, article), view(pat, article)
    mine, theirs = view(pat, article), view(sam, article)
    assert "Pat Reader" in mine and "Sam Other" not in mine
    assert "Sam Other" in theirs and "Pat Reader" not in theirs
    assert set(TOKEN.findall(mine)).isdisjoint(TOKEN.findall(theirs))


def test_a_new_display_name_shows_at_once(article):
    reader, user = signed_in("Pat Reader")
    view(reader, article), view(reader, article)
    user.display_name = "Patricia Reader"
    user.save()
    assert "Patricia Reader" in view(reader, article)


def test_a_flash_message_shows_once_on_a_joined_page(article):
    reader, _ = signed_in("Pat Reader")
    view(reader, article), view(reader, article)
    comment = Comment.objects.get(article=article)
    response = reader.post(f"/comments/{comment.pk}/report/", {"reason": "spam"}, follow=True)
    assert "The moderators will look at this comment." in response.content.decode()
    assert "The moderators will look at this comment." not in view(reader, article)


def test_a_new_section_shows_in_the_header_at_once(article):
    reader, _ = signed_in("Pat Reader")
    view(reader, article), view(reader, article)
    SectionFactory(name="Islands", slug="islands")
    assert '<a href="/islands/">Islands</a>' in view(reader, article)


def test_the_site_name_is_never_stale(article, settings):
    reader, _ = signed_in("Pat Reader")
    view(reader, article), view(reader, article)
    settings.BYLINE_SITE_NAME = "The Harbour Light"
    assert "The Harbour Light" in view(reader, article)


def test_signed_out_readers_get_their_sign_in_links(article):
    reader, _ = signed_in("Pat Reader")
    view(reader, article), view(reader, article)
    page = Client().get(article.get_absolute_url() + "?sort=oldest").content.decode()
    assert "Sign in</a>" in page and "Pat Reader" not in page and "Sign out" not in page


def test_a_shell_with_a_form_of_its_own_is_rendered_whole_and_tried_once(article, monkeypatch):
    reader, _ = signed_in("Pat Reader")
    view(reader, article)  # fills the article's parts: the next views may be joined
    original = page_shell.render_to_string
    shells = []

    def with_a_form(*args, **kwargs):
        shells.append(1)
        html = original(*args, **kwargs)
        return html.replace("</main>", f'<form><input value="{page_shell.MARKS["csrf"]}"></form></main>')

    monkeypatch.setattr(page_shell, "render_to_string", with_a_form)
    first, second = view(reader, article), view(reader, article)
    assert "\x00" not in first and "<form><input" not in first
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    assert len(shells) == 1
