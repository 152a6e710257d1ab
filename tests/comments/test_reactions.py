import pytest

from byline.comments.models import Comment, CommentReport
from tests.comments.factories import CommentFactory
from tests.factories import UserFactory


@pytest.fixture
def comment(article):
    return CommentFactory(article=article, author=UserFactory(display_name="Writer Of Comment"))


@pytest.mark.django_db
def test_like_toggles_and_the_count_shows(reader_client, comment, article):
    reader_client.post(f"/comments/{comment.pk}/like/")
    comment.refresh_from_db()
    assert comment.like_count == 1
    page = reader_client.get(article.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"><span data-like-label>Liked</span> <span data-like-count>1</span>' in page
    reader_client.post(f"/comments/{comment.pk}/like/")
    comment.refresh_from_db()
    assert comment.like_count == 0


@pytest.mark.django_db
def test_each_reader_likes_once_and_counts_add_up(client, comment):
    for _ in range(3):
        client.force_login(UserFactory())
        client.post(f"/comments/{comment.pk}/like/")
    comment.refresh_from_db()
    assert comment.like_count == 3 == comment.likes.count()


@pytest.mark.django_db
def test_like_answers_json_for_the_script(reader_client, comment):
    response = reader_client.post(f"/comments/{comment.pk}/like/", HTTP_ACCEPT="application/json")
    assert response.json() == {"ok": True, "liked": True, "count": 1}


@pytest.mark.django_db
def test_liking_your_own_comment_is_refused(reader_client, reader, article):
    own = CommentFactory(article=article, author=reader)
    response = reader_client.post(f"/comments/{own.pk}/like/")
    assert response.status_code == 400
    assert "cannot like your own comment" in response.content.decode()


@pytest.mark.django_db
def test_liking_while_logged_out_is_refused(client, comment):
    response = client.post(f"/comments/{comment.pk}/like/")
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.like_count == 0


@pytest.mark.django_db
def test_liking_a_held_comment_is_not_found(reader_client, article):
    held = CommentFactory(article=article, status=Comment.Status.PENDING)
    assert reader_client.post(f"/comments/{held.pk}/like/").status_code == 404


@pytest.mark.django_db
def test_report_with_a_reason_reaches_the_moderators(reader_client, reader, comment):
    response = reader_client.post(f"/comments/{comment.pk}/report/", {"reason": "spam"})
    assert response.status_code == 302
    report = CommentReport.objects.get()
    assert report.reason == "spam" and report.reporter == reader and report.comment == comment
    follow = reader_client.get(response["Location"]).content.decode()
    assert "The moderators will look at this comment." in follow


@pytest.mark.django_db
def test_a_reader_reports_a_comment_only_once(reader_client, comment):
    reader_client.post(f"/comments/{comment.pk}/report/", {"reason": "abuse"})
    response = reader_client.post(f"/comments/{comment.pk}/report/", {"reason": "spam"})
    assert response.status_code == 409
    assert "already reported this comment" in response.content.decode()
    assert CommentReport.objects.count() == 1


@pytest.mark.django_db
def test_other_as_a_reason_needs_an_explanation(reader_client, comment):
    response = reader_client.post(f"/comments/{comment.pk}/report/", {"reason": "other", "text": " "})
    assert response.status_code == 400
    assert "what is wrong with this comment" in response.content.decode()
    reader_client.post(
        f"/comments/{comment.pk}/report/", {"reason": "other", "text": "Shares a phone number"}
    )
    assert CommentReport.objects.get().text == "Shares a phone number"


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "bogus"])
def test_report_without_a_known_reason_is_refused(reader_client, comment, reason):
    response = reader_client.post(f"/comments/{comment.pk}/report/", {"reason": reason})
    assert response.status_code == 400
    assert CommentReport.objects.count() == 0


@pytest.mark.django_db
def test_off_topic_reports_are_accepted(reader_client, comment):
    reader_client.post(f"/comments/{comment.pk}/report/", {"reason": "off_topic"})
    assert CommentReport.objects.get().get_reason_display() == "Off-topic"
