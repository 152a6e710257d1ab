import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from byline.comments.models import Comment
from byline.newsroom.models import Article
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, UserFactory

STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}")


def post(client, article, body, **extra):
    return client.post(f"/comments/post/{article.pk}/", {"body": body, **extra})


@pytest.mark.django_db
def test_verified_reader_posts_and_lands_on_the_new_comment(reader_client, article):
    response = post(reader_client, article, "The *budget* vote was closer than expected.")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    page = reader_client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert "<em>budget</em>" in page
    assert "Maya Reader" in page and "commented" in page


@pytest.mark.django_db
def test_comment_shows_name_commented_and_time_in_the_site_time_zone(client, article, settings):
    settings.TIME_ZONE = "America/Toronto"
    moment = datetime(2025, 5, 9, 16, 46, 57, tzinfo=UTC)
    CommentFactory(article=article, author=UserFactory(display_name="Omar"), created_at=moment)
    page = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r"Omar</a>\s+commented\s+<a[^>]*><time[^>]*>2025-05-09 12:46:57 -0400</time>", page)


@pytest.mark.django_db
def test_links_in_comments_are_marked_nofollow_ugc_noopener(reader_client, article):
    post(reader_client, article, "See [the minutes](https://example.org/minutes).")
    html = Comment.objects.get().body_html
    assert 'href="https://example.org/minutes"' in html
    assert 'rel="nofollow ugc noopener"' in html


@pytest.mark.django_db
def test_quotes_and_lists_render_but_headings_and_images_do_not(reader_client, article):
    post(reader_client, article, "> quoted\n\n- one\n- two\n\n# Big\n\n![x](https://example.org/x.png)")
    html = Comment.objects.get().body_html
    assert "<blockquote>" in html and "<li>one</li>" in html
    assert "<h1>" not in html and "<img" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="#" onclick="alert(1)">x</a>',
    ],
)
def test_script_handlers_and_dangerous_urls_never_reach_the_page(reader_client, article, hostile):
    post(reader_client, article, hostile)
    html = Comment.objects.get().body_html
    page = reader_client.get(article.get_absolute_url()).content.decode()
    section = page[page.index('id="comments"') :]
    for text in (html, section):
        assert "<script>alert" not in text
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+\s*=", text)
        assert 'href="javascript:' not in text and 'href="data:' not in text


def _assert_refused_with_text_kept(response, message, text):
    body = response.content.decode()
    assert message in body
    assert Comment.objects.count() == 0
    assert text in body


@pytest.mark.django_db
def test_empty_comment_is_refused_with_a_message(reader_client, article):
    response = post(reader_client, article, "")
    assert response.status_code == 400
    assert "your comment is empty" in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_whitespace_only_comment_is_refused(reader_client, article):
    response = post(reader_client, article, "   \n\t  ")
    assert response.status_code == 400
    assert "your comment is empty" in response.content.decode()


@pytest.mark.django_db
def test_too_long_comment_is_refused_and_the_text_stays_in_the_form(reader_client, article, settings):
    settings.BYLINE_COMMENT_MAX_LENGTH = 50
    text = "A sentence that is far too long for the tiny limit set for this test run."
    response = post(reader_client, article, text)
    assert response.status_code == 400
    _assert_refused_with_text_kept(response, "the limit is 50", text)


@pytest.mark.django_db
def test_default_limit_is_five_thousand_characters(reader_client, article):
    assert post(reader_client, article, "x" * 5000).status_code == 302
    response = post(reader_client, article, "y" * 5001)
    assert response.status_code == 400
    assert "5,001 characters long; the limit is 5,000" in response.content.decode()


@pytest.mark.django_db
def test_nul_bytes_are_refused_with_a_message(reader_client, article):
    response = post(reader_client, article, "Fine text\x00with a NUL")
    assert response.status_code == 400
    _assert_refused_with_text_kept(response, "a NUL byte", "Fine text")


@pytest.mark.django_db
def test_invalid_utf8_is_refused_with_a_message(reader_client, article):
    response = reader_client.post(
        f"/comments/post/{article.pk}/",
        data=b"body=Caf%C3%A9+and+%FF%FE+broken",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert "Café and" in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_ten_thousand_nested_quotes_neither_crash_nor_slow_down(reader_client, article):
    started = time.monotonic()
    response = post(reader_client, article, ">" * 4990 + " deep")
    response2 = post(reader_client, article, "> " * 2490 + "deeper")
    assert time.monotonic() - started < 5
    assert response.status_code == 302 and response2.status_code == 302
    assert Comment.objects.count() == 2
    assert reader_client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_ten_thousand_quote_markers_over_the_limit_get_the_length_message(reader_client, article):
    started = time.monotonic()
    response = post(reader_client, article, ">" * 10000)
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    assert "the limit is 5,000" in response.content.decode()


@pytest.mark.django_db
def test_reply_to_a_comment_of_another_article_is_refused(reader_client, article):
    elsewhere = CommentFactory()
    response = post(reader_client, article, "My reply text", parent=elsewhere.pk)
    assert response.status_code == 400
    assert "belongs to another article" in response.content.decode()
    assert "My reply text" in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_reply_to_a_removed_comment_is_refused(reader_client, article):
    removed = CommentFactory(article=article, is_removed=True)
    response = post(reader_client, article, "Answering a ghost", parent=removed.pk)
    assert response.status_code == 400
    assert "was removed; you cannot reply to it" in response.content.decode()
    assert "Answering a ghost" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("parent", ["999999", "not-a-number"])
def test_reply_to_a_comment_that_does_not_exist_is_refused(reader_client, article, parent):
    response = post(reader_client, article, "Hello nobody", parent=parent)
    assert response.status_code == 404
    assert "does not exist" in response.content.decode()
    assert "Hello nobody" in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_reply_to_a_held_comment_of_someone_else_is_refused(reader_client, article):
    held = CommentFactory(article=article, status=Comment.Status.PENDING)
    response = post(reader_client, article, "Too early", parent=held.pk)
    assert response.status_code == 404


@pytest.mark.django_db
def test_posting_on_an_article_with_comments_switched_off_is_refused(reader_client):
    article = ArticleFactory(comments_open=False)
    response = post(reader_client, article, "Let me in")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Comments are closed on this article." in body
    assert 'id="comment-form"' not in body
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_comments_close_automatically_after_the_configured_days(reader_client, settings):
    settings.BYLINE_COMMENTS_CLOSE_AFTER_DAYS = 14
    old = ArticleFactory(published_at=timezone.now() - timedelta(days=15))
    response = post(reader_client, old, "Late to the party")
    assert response.status_code == 403
    page = reader_client.get(old.get_absolute_url()).content.decode()
    assert "Comments are closed on this article." in page
    assert 'id="comment-form"' not in page


@pytest.mark.django_db
def test_zero_days_means_comments_never_close_automatically(reader_client, settings):
    settings.BYLINE_COMMENTS_CLOSE_AFTER_DAYS = 0
    old = ArticleFactory(published_at=timezone.now() - timedelta(days=400))
    assert post(reader_client, old, "Still open").status_code == 302


@pytest.mark.django_db
def test_posting_while_logged_out_is_refused_with_a_sign_in_link(client, article):
    response = post(client, article, "Anonymous thoughts")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Sign in to join the conversation." in body
    assert "Anonymous thoughts" in body
    assert "/accounts/login/" in body
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_posting_before_confirming_the_email_is_refused(client, article):
    client.force_login(UserFactory(email_verified_at=None))
    response = post(client, article, "Unconfirmed thoughts")
    assert response.status_code == 403
    body = response.content.decode()
    assert "confirm your email address" in body
    assert "Unconfirmed thoughts" in body
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_same_text_twice_within_ten_seconds_is_posted_once(reader_client, article):
    first = post(reader_client, article, "Double click!")
    second = post(reader_client, article, "Double click!")
    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert Article.objects.get(pk=article.pk).comment_count == 1


@pytest.mark.django_db
def test_rate_limit_of_five_a_minute_answers_429_with_a_message(reader_client, article):
    for n in range(5):
        assert post(reader_client, article, f"Comment {n}").status_code == 302
    response = post(reader_client, article, "One too many")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Please wait a moment" in response.content.decode()
    assert "One too many" in response.content.decode()
    assert Comment.objects.count() == 5


@pytest.mark.django_db
def test_rate_limit_per_day_answers_429(reader_client, article, settings):
    settings.BYLINE_COMMENT_RATE_PER_MINUTE = 100
    settings.BYLINE_COMMENT_RATE_PER_DAY = 3
    for n in range(3):
        assert post(reader_client, article, f"Comment {n}").status_code == 302
    response = post(reader_client, article, "Fourth")
    assert response.status_code == 429
    assert "limit of comments" in response.content.decode()


@pytest.mark.django_db
def test_rate_limit_applies_to_json_posts_too(reader_client, article, settings):
    settings.BYLINE_COMMENT_RATE_PER_MINUTE = 1
    post(reader_client, article, "first")
    response = reader_client.post(
        f"/comments/post/{article.pk}/", {"body": "second"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert response["Retry-After"]


@pytest.mark.django_db
def test_json_post_returns_the_rendered_comment_and_new_count(reader_client, article):
    response = reader_client.post(
        f"/comments/post/{article.pk}/", {"body": "In place"}, HTTP_ACCEPT="application/json"
    )
    data = response.json()
    assert response.status_code == 201
    assert data["count"] == 1
    assert "In place" in data["html"] and "commented" in data["html"]
    assert STAMP.search(data["html"])


@pytest.mark.django_db
def test_posting_on_an_unpublished_article_is_not_found(reader_client):
    draft = ArticleFactory(draft=True)
    assert post(reader_client, draft, "Sneaky").status_code == 404


@pytest.mark.django_db
def test_only_post_is_allowed_on_the_posting_url(reader_client, article):
    assert reader_client.get(f"/comments/post/{article.pk}/").status_code == 405


@pytest.mark.django_db
def test_staff_are_readers_too_and_may_comment_without_a_confirmation_link(client, article):
    client.force_login(UserFactory(is_staff=True, email_verified_at=None, display_name="Desk Editor"))
    response = post(client, article, "A note from the newsroom.")
    assert response.status_code == 302
    assert Comment.objects.get().author.display_name == "Desk Editor"


@pytest.mark.django_db
def test_ten_thousand_nested_quotes_with_a_raised_limit_render_quickly(reader_client, article, settings):
    settings.BYLINE_COMMENT_MAX_LENGTH = 30000
    started = time.monotonic()
    response = post(reader_client, article, "> " * 10000 + "bottom of the well")
    page = reader_client.get(article.get_absolute_url())
    assert time.monotonic() - started < 5
    assert response.status_code == 302 and page.status_code == 200
    html = Comment.objects.get().body_html
    assert html.count("<blockquote>") <= 25  # nesting is capped, not recursed 10,000 times
