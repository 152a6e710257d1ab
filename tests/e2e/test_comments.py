"""A new reader's whole path through the COMMENTS section in a real browser, and hostile comments that must
execute nothing."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from byline.accounts.models import User
from byline.comments.models import Comment, CommentReport
from byline.core.text import render_comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$")


@pytest.fixture
def story(settings, live_server):
    settings.BYLINE_SITE_URL = live_server.url
    settings.BYLINE_COMMENT_POLICY = "byline.comments.policy.approve_all"
    article = ArticleFactory(headline="Library hours to grow in the spring")
    other = UserFactory(display_name="Early Bird")
    Comment.objects.create(
        article=article,
        author=other,
        body_source="Finally, evening hours!",
        body_html=render_comment("Finally, evening hours!"),
        status=Comment.Status.APPROVED,
    )
    article.comment_count = 1
    article.save()
    return article


def test_reader_signs_up_verifies_posts_replies_likes_edits_and_deletes(page, live_server, story):
    url = live_server.url + story.get_absolute_url()
    page.goto(url)
    page.locator("#comments").get_by_role("link", name="create a free account").click()
    page.get_by_label("Email address").fill("lena@example.org")
    page.get_by_label("Display name").fill("Lena Park")
    page.get_by_label("Password").fill("a lantern by the harbour")
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    link = re.search(r"(http://\S+/accounts/verify/\S+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.wait_for_url(re.compile(re.escape(story.get_absolute_url())))
    assert User.objects.get(email="lena@example.org").is_verified

    # Post: with JavaScript, in place, no reload.
    page.get_by_label("Your comment").fill("Will the **children's room** stay open late too?")
    page.get_by_role("button", name="Post comment").click()
    mine = page.locator("li.comment", has_text="stay open late too?").first
    mine.wait_for()
    assert mine.locator("strong", has_text="children's room").count() == 1
    meta = mine.locator(".comment-meta").first.inner_text()
    assert "Lena Park" in meta and "commented" in meta
    assert STAMP.match(mine.locator("time.comment-time").first.inner_text())
    assert page.locator("[data-comment-count]").inner_text() == "2"

    # Reply to the earlier comment.
    early = page.locator("li.comment", has_text="Finally, evening hours!").first
    # "Reply" leads to a page of its own; the script opens the page's one reply form here instead.
    early.get_by_role("link", name="Reply to Early Bird").click()
    early.get_by_label("Your reply to Early Bird").fill("Agreed, it helps after work.")
    early.get_by_role("button", name="Post reply").click()
    reply = early.locator("li.comment", has_text="Agreed, it helps after work.")
    reply.wait_for()
    assert "in reply to Early Bird" in reply.inner_text()

    # Like the earlier comment.
    like = early.locator("button.comment-like").first
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like.locator("[data-like-count]")).to_have_text("1")

    # Report it: the script opens the page's one report form under the comment and sends it in place.
    early.get_by_role("link", name="Report comment by Early Bird").click()
    early.get_by_label("Spam").check()
    early.get_by_role("button", name="Send report").click()
    expect(early.locator("[data-opened-form]")).to_have_count(0)
    expect(page.locator("[data-comment-live]")).to_contain_text("moderators will look")
    assert CommentReport.objects.get().reason == "spam"

    # Edit my comment (plain POST, page reloads at the comment).
    page.reload()
    mine = page.locator("li.comment", has_text="stay open late too?").first
    mine.locator("summary", has_text="Edit").click()
    mine.get_by_label("Edit your comment").fill("Will the children's room stay open late as well?")
    mine.get_by_role("button", name="Save changes").click()
    edited = page.locator("li.comment", has_text="stay open late as well?").first
    edited.wait_for()
    assert "(edited)" in edited.inner_text()

    # Delete my reply: it becomes "Comment removed".
    reply = page.locator("li.comment", has_text="Agreed, it helps after work.").first
    reply.get_by_role("button", name="Delete").click()
    page.locator(".comment-removed").first.wait_for()
    assert page.locator("text=Agreed, it helps after work.").count() == 0
    for stamp in page.locator("time.comment-time").all_inner_texts():
        assert STAMP.match(stamp)


def test_works_without_javascript(browser, live_server, story):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        reader = UserFactory(display_name="No Script Reader", email="noscript@example.org")
        tab.goto(live_server.url + "/accounts/login/")
        tab.get_by_label("Email address").fill(reader.email)
        tab.get_by_label("Password").fill("correct horse battery staple")
        tab.get_by_role("button", name="Sign in").click()
        tab.goto(live_server.url + story.get_absolute_url())
        tab.get_by_label("Your comment").fill("Posted the old-fashioned way.")
        tab.get_by_role("button", name="Post comment").click()
        tab.wait_for_url(re.compile(r"#comment-\d+$"))
        assert tab.locator("li.comment", has_text="Posted the old-fashioned way.").count() == 1
        # "Reply" leads to a page with the comment and the form; the reply lands under the comment.
        tab.locator("li.comment", has_text="Finally, evening hours!").get_by_role(
            "link", name="Reply to Early Bird"
        ).click()
        tab.get_by_label("Your reply to Early Bird").fill("Replying without a script.")
        tab.get_by_role("button", name="Post reply").click()
        tab.wait_for_url(re.compile(r"#comment-\d+$"))
        reply = tab.locator("li.comment li.comment", has_text="Replying without a script.")
        assert "in reply to Early Bird" in reply.inner_text()
        # "Like" sends the page's one like form to that comment's address; the page comes back liked.
        tab.get_by_role("button", name="Like 0 likes, comment by Early Bird").click()
        early = tab.locator("li.comment", has_text="Finally, evening hours!")
        liked = early.locator("button.comment-like").first
        expect(liked).to_have_attribute("aria-pressed", "true")
        expect(liked.locator("[data-like-count]")).to_have_text("1")
    finally:
        context.close()


HOSTILE = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    "[tap me](javascript:window.__pwned=3)",
    "[or me](data:text/html,<script>parent.__pwned=4</script>)",
    '<svg onload="window.__pwned = 5"></svg>',
    '<a href="#" onmouseover="window.__pwned = 6">hover</a>',
]


def test_hostile_comments_and_names_execute_nothing(browser, live_server, story):
    # CSP switched off in this browser: sanitising alone must keep every script from running.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    villain = UserFactory(display_name='<img src=x onerror="window.__pwned=7">', email="villain@example.org")
    for text in HOSTILE:
        Comment.objects.create(
            article=story, author=villain, body_source=text, body_html=render_comment(text), status="approved"
        )
    reader = UserFactory(display_name="Careful Reader", email="careful@example.org")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(reader.email)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + story.get_absolute_url())
    # And one typed in through the form, inserted in place by the script.
    page.get_by_label("Your comment").fill(
        '<img src=x onerror="window.__pwned=8"> <script>window.__pwned=9</script>'
    )
    page.get_by_role("button", name="Post comment").click()
    page.locator("li.comment", has_text="window.__pwned=9").first.wait_for()
    for link in page.locator(".comment-text a").all():
        link.hover()
        link.click(modifiers=[], no_wait_after=True, timeout=2000)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.locator(".comment-text script, .comment-text img, .comment-text svg").count() == 0
    context.close()


def test_more_comments_load_in_place(page, live_server, story, settings):
    settings.BYLINE_COMMENTS_PER_PAGE = 2
    author = UserFactory(display_name="Paging Person")
    for n in range(4):
        Comment.objects.create(
            article=story,
            author=author,
            body_source=f"Paged remark {n}",
            body_html=f"<p>Paged remark {n}</p>",
            status="approved",
        )
    page.goto(live_server.url + story.get_absolute_url())
    expect(page.locator("ol.comment-list > li.comment")).to_have_count(2)
    page.get_by_role("link", name="More comments").click()
    expect(page.locator("ol.comment-list > li.comment")).to_have_count(4)
    assert page.url.endswith(story.get_absolute_url())  # no navigation happened


def _axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


def test_comments_section_and_account_pages_pass_axe(page, live_server, story):
    root = Comment.objects.get(article=story)
    reply_author = UserFactory(display_name="Second Voice")
    Comment.objects.create(
        article=story,
        author=reply_author,
        parent=root,
        in_reply_to=root,
        thread_root=root,
        depth=1,
        body_source="A reply",
        body_html="<p>A reply</p>",
        status="approved",
    )
    for path in ("/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"):
        page.goto(live_server.url + path)
        assert _axe_violations(page) == [], path
    reader = UserFactory(display_name="Axe Reader", email="axe@example.org")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(reader.email)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_role("link", name="Report comment by").first.click()  # opens the report form in place
    page.get_by_role("link", name="Reply to").first.click()
    assert _axe_violations(page) == []
    for kind in ("reply", "report"):
        page.goto(live_server.url + f"/comments/{root.pk}/{kind}/")
        assert _axe_violations(page) == [], kind
    page.goto(live_server.url + "/accounts/settings/")
    assert _axe_violations(page) == []
    page.goto(live_server.url + f"/comments/readers/{reader.pk}/")
    assert _axe_violations(page) == []
