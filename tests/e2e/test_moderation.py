"""Moderation in a real browser: a held comment approved in the queue appears on the article; a rejected
one shows its reason to its author. The approval uses the keyboard shortcuts (JavaScript on), the rejection
plain forms (JavaScript off)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from byline.comments import services as comments
from byline.comments.models import Comment
from byline.moderation.models import ArticleModerationSettings
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login_context(browser, live_server, user, *, javascript=True):
    client = Client()
    client.force_login(user)
    context = browser.new_context(java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.fixture
def scene(settings):
    settings.BYLINE_COMMENT_POLICY = "byline.moderation.pipeline.moderate_comment"
    article = ArticleFactory(headline="Ferry fares to double next spring")
    ArticleModerationSettings.objects.create(article=article, mode="pre")
    reader = UserFactory(display_name="Rita Reader", date_joined=timezone.now() - timedelta(days=60))
    moderator = UserFactory(display_name="Mona Moderator", is_staff=True)
    moderator.groups.add(Group.objects.get_or_create(name="Moderator")[0])
    held = comments.post_comment(
        author=reader,
        article=article,
        body_source="The ferry is how my kids get to school. Please reconsider.",
    ).comment
    doomed = comments.post_comment(
        author=reader, article=article, body_source="Off topic: anyone selling a canoe near the harbour?"
    ).comment
    assert held.status == doomed.status == Comment.Status.PENDING
    return article, reader, moderator, held, doomed


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]]


def test_the_moderation_pages_are_accessible(browser, live_server, scene):
    article, reader, moderator, held, doomed = scene
    context = login_context(browser, live_server, moderator)
    page = context.new_page()
    for path in (
        "/moderate/",
        f"/moderate/comment/{held.pk}/",
        f"/moderate/author/{reader.pk}/",
        "/moderate/log/",
        "/moderate/settings/",
        "/moderate/overview/",
        "/moderate/words/",
    ):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    context.close()


def test_a_held_comment_approved_in_the_queue_appears_and_a_rejected_one_shows_its_reason(
    browser, live_server, scene
):
    article, reader, moderator, held, doomed = scene
    article_url = live_server.url + article.get_absolute_url()

    anonymous = browser.new_context()
    page = anonymous.new_page()
    page.goto(article_url)
    assert "how my kids get to school" not in page.content()
    anonymous.close()

    # The moderator approves the first comment with the keyboard: j (next item), a (approve).
    context = login_context(browser, live_server, moderator)
    page = context.new_page()
    page.goto(live_server.url + "/moderate/")
    assert page.locator(".mod-item").count() == 2
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("a")
    assert "Approved: comment" in page.content()
    context.close()

    # Then rejects the second from its own page, without JavaScript, giving a reason.
    context = login_context(browser, live_server, moderator, javascript=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/moderate/comment/{doomed.pk}/")
    page.fill(f"#reason-{doomed.pk}", "Please keep to the story: classifieds are not allowed.")
    with page.expect_navigation():
        page.click("button[value=reject]")
    context.close()

    anonymous = browser.new_context()
    page = anonymous.new_page()
    page.goto(article_url)
    assert "how my kids get to school" in page.content()
    assert "selling a canoe" not in page.content()
    anonymous.close()

    context = login_context(browser, live_server, reader)
    page = context.new_page()
    page.goto(article_url)
    body = page.locator("body").inner_text()
    assert "Not published: Please keep to the story: classifieds are not allowed." in body
    context.close()
