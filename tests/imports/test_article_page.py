"""Imported comments show under their article: original times in the site's zone, newest first, threaded."""

import re

import pytest

from byline.comments.models import Comment

pytestmark = pytest.mark.django_db


def li_position(html: str, comment: Comment) -> int:
    match = re.search(rf'<li class="comment[^"]*" id="comment-{comment.pk}"', html)
    assert match, f"comment {comment.pk} ({comment.body_source[:30]!r}) is not on the page"
    return match.start()


def test_imported_comments_show_with_original_times_newest_first_and_replies_under_parents(
    client, settings, import_wordpress
):
    settings.TIME_ZONE = "America/Toronto"
    import_wordpress()
    html = client.get("/city-hall/council-approves-bridge-budget/").content.decode()
    first = Comment.objects.get(body_source__contains="My grandfather asked")
    reply = Comment.objects.get(body_source__contains="Your grandfather had patience")
    second = Comment.objects.get(body_source__contains="Who pays")
    latest = Comment.objects.get(body_source__contains="deleted long ago")

    # Original times to the second, in the site's time zone with its offset (EST in February).
    for stamp in [
        "2025-02-14 13:02:11 -0500",
        "2025-02-14 14:15:40 -0500",
        "2025-02-14 15:40:00 -0500",
        "2025-02-15 09:10:00 -0500",
    ]:
        assert stamp in html
    assert "Marguerite Ocampo" in html and "Des Kowalczyk" in html

    # Newest thread first; the reply sits inside its parent's thread, after it and before the next thread.
    assert li_position(html, latest) < li_position(html, second) < li_position(html, first)
    assert li_position(html, first) < li_position(html, reply)
    assert "in reply to" in html[li_position(html, reply) :]

    # Held and spam comments are not shown to readers; guests' emails never are.
    assert "I will read it tonight" not in html and "Buy watches" not in html
    assert "marguerite@readers.example.org" not in html


def test_a_cached_article_page_shows_comments_imported_after_it_was_cached(
    client, import_wordpress, import_disqus, django_capture_on_commit_callbacks
):
    import_wordpress()
    url = "/city-hall/council-approves-bridge-budget/"
    assert "vote was closer" not in client.get(url).content.decode()
    assert "vote was closer" not in client.get(url).content.decode()  # now served from the page cache
    with django_capture_on_commit_callbacks(execute=True):
        import_disqus()
    assert "vote was closer" in client.get(url).content.decode()


def test_the_page_cache_follows_edits_again_once_an_import_is_over(
    client, import_wordpress, django_capture_on_commit_callbacks
):
    from byline.newsroom.models import Article

    import_wordpress()
    url = "/city-hall/council-approves-bridge-budget/"
    client.get(url)
    assert client.get(url)["X-Byline-Cache"] == "HIT"
    article = Article.objects.get(slug="council-approves-bridge-budget")
    article.headline = "Council approves the bridge budget, after midnight"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert "after midnight" in client.get(url).content.decode()


def test_hostile_names_and_comments_from_an_export_execute_nothing_on_the_page(
    client, tmp_path, import_wordpress
):
    from tests.imports.wxr import write, wxr, wxr_comment, wxr_item

    hostile = wxr_comment(
        1,
        author='<script>alert("name")</script><img src=x onerror=alert(1)>',
        body='<p onclick="alert(2)">Hi</p><script>alert(3)</script><a href="javascript:alert(4)">link</a>'
        '<iframe src="https://evil.example"></iframe><a href="data:text/html,x">data</a>',
    )
    import_wordpress(write(tmp_path, wxr(wxr_item(1, slug="hostile", comments=hostile))))
    html = client.get("/news/hostile/").content.decode()
    section = html[html.index('id="comments"') :]
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in section
    for executable in ["<script", "<img", "<iframe", 'href="javascript:', 'href="data:']:
        assert executable not in section
    assert not re.search(r"<[^>]*\son\w+\s*=", section)  # no event handler attribute on any tag
    assert "<p>Hi</p>" in section
