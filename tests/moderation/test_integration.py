"""The pipeline seen through the comments app's own form, and the audit log's transactional guarantee."""

from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from byline.comments import services as comments
from byline.comments.models import Comment
from byline.moderation import services
from byline.moderation.models import ModerationEvent
from byline.moderation.pipeline import NUDGE_MESSAGE
from tests.moderation.factories import held_comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pipeline_on")]


def test_the_form_comes_back_once_with_the_nudge_and_the_text_then_posting_anyway_holds(
    client, old_reader, article
):
    client.force_login(old_reader)
    url = reverse("comments:post", args=[article.pk])
    text = "What a bunch of idiots run this council."
    page = client.post(url, {"body": text}).content.decode()
    assert "Your comment may break our community guidelines." in page
    assert "Edit it, or post it for a moderator to review." in page
    assert "What a bunch of idiots run this council." in page
    assert not Comment.objects.exists()
    client.post(url, {"body": text, "confirm": "1"})
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert NUDGE_MESSAGE.startswith("Your comment may break")


def test_a_held_comment_is_awaiting_moderation_for_its_author(client, old_reader, article):
    client.force_login(old_reader)
    response = client.post(
        reverse("comments:post", args=[article.pk]),
        {"body": "Nice piece.", "website": "http://bot.example"},
        follow=True,
    )
    assert "awaiting" in response.content.decode().lower()
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_the_policys_decision_is_logged_in_the_comments_own_transaction(old_reader, article):
    with (
        mock.patch.object(services, "_log", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        comments.post_comment(
            author=old_reader, article=article, body_source="A remark that must not be orphaned."
        )
    assert not Comment.objects.exists()
    article.refresh_from_db()
    assert article.comment_count == 0


def test_an_authors_edit_that_the_policy_holds_is_logged(old_reader, article):
    comment = comments.post_comment(author=old_reader, article=article, body_source="A calm remark.").comment
    comments.comment_edit(
        comment=comment, user=old_reader, body_source="A calm remark, you shithead.", confirmed_nudge=True
    )
    event = ModerationEvent.objects.filter(comment=comment, action="edited").get()
    assert (event.status_before, event.status_after, event.actor_name) == ("approved", "pending", "system")


def test_the_queue_needs_the_same_number_of_queries_for_2_or_20_comments(
    moderator_client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert moderator_client.get(reverse("moderation:queue")).status_code == 200
        return len(captured)

    for _ in range(2):
        held_comment()
    few = count()
    for _ in range(18):
        held_comment()
    assert count() == few


@override_settings(BYLINE_MODERATION_UNDO_MINUTES=15)
def test_the_overview_reports_the_median_time_to_a_decision(moderator_client, moderator):
    from datetime import timedelta

    for minutes in (10, 20, 90):
        comment = held_comment()
        Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
        services.comment_moderate(comment_id=comment.pk, moderator=moderator, action="approve")
    page = moderator_client.get(reverse("moderation:overview")).content.decode()
    assert "<strong>20.0 minutes</strong> (3 decisions)" in page


def test_a_suspended_reader_keeps_their_text_and_sees_the_end_date(client, old_reader, article):
    from datetime import timedelta

    from byline.moderation.models import AuthorStanding

    AuthorStanding.objects.create(user=old_reader, suspended_until=timezone.now() + timedelta(days=2))
    client.force_login(old_reader)
    response = client.post(
        reverse("comments:post", args=[article.pk]), {"body": "My carefully written reply."}
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "suspended from commenting until" in page
    assert "My carefully written reply." in page


def test_warming_up_loads_the_models_before_the_first_comment():
    from byline.moderation.pipeline import warm_up
    from byline.moderation.toxicity.linear import load_model

    warm_up()
    assert load_model.cache_info().currsize == 1


def test_removing_an_edited_comment_adds_no_moderation_entry(old_reader, article):
    comment = comments.post_comment(author=old_reader, article=article, body_source="First words.").comment
    comments.comment_edit(comment=comment, user=old_reader, body_source="Second words.")
    comments.comment_remove(comment=comment, user=old_reader)
    assert list(ModerationEvent.objects.filter(comment=comment).values_list("action", flat=True)) == [
        "edited",
        "policy",
    ]
