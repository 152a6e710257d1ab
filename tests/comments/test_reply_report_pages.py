""" "Reply" and "Report" are links to pages of their own; the article page carries one copy of each form.

Without JavaScript a reader follows the link to a page with the comment and the form; with it, comments.js
copies the page's one form under the comment (tests/e2e/test_comments.py). Either way the article page no
longer repeats two forms under every comment.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.comments.models import Comment, CommentReport
from tests.comments.factories import CommentFactory
from tests.factories import UserFactory


@pytest.fixture
def comment(article):
    return CommentFactory(article=article, author=UserFactory(display_name="Olu Writer"))


@pytest.mark.django_db
def test_the_article_page_has_one_reply_and_one_report_form_however_many_comments(reader_client, article):
    others = [CommentFactory(article=article) for _ in range(12)]
    page = reader_client.get(article.get_absolute_url()).content.decode()
    assert page.count('name="parent"') == 1
    assert page.count('class="comment-report-form"') == 1
    assert page.count('<template id="comment-reply-template">') == 1
    assert page.count('<template id="comment-report-template">') == 1
    for other in others:
        assert f'href="/comments/{other.pk}/reply/"' in page
        assert f'href="/comments/{other.pk}/report/"' in page


@pytest.mark.django_db
def test_every_like_button_sends_the_pages_one_like_form_to_its_own_comment(reader_client, reader, article):
    others = [CommentFactory(article=article) for _ in range(12)]
    page = reader_client.get(article.get_absolute_url()).content.decode()
    assert page.count('id="comment-like-form"') == 1
    assert page.count('name="csrfmiddlewaretoken"') == len(re.findall(r"<form\b[^>]*method=\"post\"", page))
    for other in others:
        assert f'form="comment-like-form" formaction="/comments/{other.pk}/like/"' in page
    token = re.search(r'id="comment-like-form"[^>]*>.*?value="([A-Za-z0-9]{64})"', page).group(1)
    sent = reader_client.post(f"/comments/{others[3].pk}/like/", {"csrfmiddlewaretoken": token})
    assert sent.status_code == 302
    assert others[3].likes.filter(user=reader).exists()


@pytest.mark.django_db
def test_readers_who_may_not_post_get_no_reply_links_or_forms(client, comment, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert "/reply/" not in page and "comment-reply-template" not in page
    assert "/report/" not in page and "comment-report-template" not in page


@pytest.mark.django_db
def test_the_reply_page_shows_the_comment_and_a_form_that_answers_it(reader_client, comment, article):
    response = reader_client.get(f"/comments/{comment.pk}/reply/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Reply to Olu Writer" in page and comment.body_source in page
    assert f'<input type="hidden" name="parent" value="{comment.pk}">' in page
    assert re.search(r'<label for="reply-body-\d+" data-reply-label>Your reply to Olu Writer</label>', page)
    response = reader_client.post(
        f"/comments/post/{article.pk}/", {"body": "Sent from the reply page.", "parent": comment.pk}
    )
    assert response.status_code == 302
    assert Comment.objects.get(body_source="Sent from the reply page.").parent == comment


@pytest.mark.django_db
def test_signed_out_readers_are_sent_to_sign_in_and_back(client, comment):
    for kind in ("reply", "report"):
        response = client.get(f"/comments/{comment.pk}/{kind}/")
        assert response.status_code == 302
        assert response["Location"].endswith(f"?next=/comments/{comment.pk}/{kind}/")


@pytest.mark.django_db
def test_the_reply_page_of_a_held_comment_is_not_found(reader_client, article):
    held = CommentFactory(article=article, status=Comment.Status.PENDING)
    assert reader_client.get(f"/comments/{held.pk}/reply/").status_code == 404


@pytest.mark.django_db
def test_an_unverified_reader_is_told_to_confirm_their_address(client, comment):
    client.force_login(UserFactory(email_verified_at=None))
    page = client.get(f"/comments/{comment.pk}/reply/").content.decode()
    assert "Please confirm your email address" in page and 'name="parent"' not in page
    response = client.get(f"/comments/{comment.pk}/report/")
    assert response.status_code == 403 and "confirm your email address" in response.content.decode()


@pytest.mark.django_db
def test_a_refused_reply_to_a_comment_on_a_later_page_comes_back_on_the_reply_page(
    reader_client, comment, article, settings
):
    settings.BYLINE_COMMENTS_PER_PAGE = 2
    for _ in range(3):
        CommentFactory(article=article)  # newer threads: `comment` is now on page 2
    settings.BYLINE_COMMENT_MAX_LENGTH = 40
    too_long = "A reply far longer than this site allows, kept for the reader."
    response = reader_client.post(f"/comments/post/{article.pk}/", {"body": too_long, "parent": comment.pk})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Reply to Olu Writer" in page
    assert f'name="parent" value="{comment.pk}"' in page and too_long in page
    assert not Comment.objects.filter(body_source=too_long).exists()


@pytest.mark.django_db
def test_the_report_page_sends_a_report(reader_client, reader, comment):
    page = reader_client.get(f"/comments/{comment.pk}/report/").content.decode()
    assert f'action="/comments/{comment.pk}/report/"' in page
    assert "Why should moderators look at this comment?" in page and comment.body_source in page
    reader_client.post(f"/comments/{comment.pk}/report/", {"reason": "abuse"})
    assert CommentReport.objects.get().reporter == reader


@pytest.mark.django_db
def test_the_reply_and_report_pages_cost_the_same_queries_however_long_the_thread(reader_client, comment):
    def queries() -> list[int]:
        counts = []
        for kind in ("reply", "report"):
            with CaptureQueriesContext(connection) as captured:
                assert reader_client.get(f"/comments/{comment.pk}/{kind}/").status_code == 200
            counts.append(len(captured))
        return counts

    queries()  # the first page view also fills the navigation's cache
    few = queries()
    for _ in range(30):
        CommentFactory(article=comment.article, parent=comment)
        CommentFactory(article=comment.article)
    assert queries() == few
    assert max(few) <= 6
