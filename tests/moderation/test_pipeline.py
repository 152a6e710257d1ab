from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from byline.comments import services as comments
from byline.comments.models import Comment
from byline.core.errors import PermissionDenied
from byline.moderation import services
from byline.moderation.models import ArticleModerationSettings, AuthorStanding, ModerationEvent
from byline.moderation.pipeline import NUDGE_MESSAGE
from tests.comments.factories import CommentFactory
from tests.factories import UserFactory
from tests.moderation import backends

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pipeline_on")]
FIXED = "tests.moderation.backends.FixedScores"


def post(author, article, text, **kwargs):
    return comments.post_comment(author=author, article=article, body_source=text, **kwargs)


def test_a_civil_heated_comment_is_published_and_the_decision_logged(old_reader, article):
    result = post(old_reader, article, "Kill the bill! This budget guts transit for the whole east end.")
    assert result.comment.status == Comment.Status.APPROVED
    article.refresh_from_db()
    assert article.comment_count == 1
    event = ModerationEvent.objects.get(comment=result.comment)
    assert (event.actor_name, event.action, event.status_after) == ("system", "policy", "approved")


def test_a_banned_word_rejects_the_comment_and_says_why(old_reader, article):
    result = post(old_reader, article, "Kill yourself, seriously.")
    assert result.comment.status == Comment.Status.REJECTED
    assert "community guidelines" in result.message
    assert result.comment.moderation_reasons[0]["check"] == "banned_words"
    assert ModerationEvent.objects.get(comment=result.comment).status_after == "rejected"


def test_a_suspect_word_holds_the_comment_after_the_reader_confirms(old_reader, article):
    first = post(old_reader, article, "This country will become a shithole.")
    assert first.comment is None and first.decision.nudge
    assert first.message == NUDGE_MESSAGE
    second = post(old_reader, article, "This country will become a shithole.", confirmed_nudge=True)
    assert second.comment.status == Comment.Status.PENDING
    checks = {r["check"] for r in second.comment.moderation_reasons}
    assert {"suspect_words", "nudge"} <= checks
    assert "awaiting review" in second.message


@override_settings(BYLINE_TOXICITY_BACKEND=FIXED)
def test_an_edit_below_the_nudge_threshold_publishes_normally(old_reader, article):
    backends.SCORES["You are all complete fools"] = 0.65
    nudged = post(old_reader, article, "You are all complete fools")
    assert nudged.comment is None and nudged.decision.nudge
    edited = post(old_reader, article, "I think you are all mistaken")
    assert edited.comment.status == Comment.Status.APPROVED


@override_settings(BYLINE_TOXICITY_BACKEND=FIXED)
def test_toxicity_over_the_hold_threshold_holds(old_reader, article):
    backends.SCORES["Something nasty but unlisted"] = 0.95
    result = post(old_reader, article, "Something nasty but unlisted", confirmed_nudge=True)
    assert result.comment.status == Comment.Status.PENDING
    assert result.comment.toxicity_score == pytest.approx(0.95)
    assert any(r["check"] == "toxicity" for r in result.comment.moderation_reasons)


@pytest.mark.parametrize("backend", ["Broken", "Crashing", "Slow"])
def test_a_failing_or_slow_classifier_holds_the_comment_and_never_loses_it(old_reader, article, backend):
    with override_settings(
        BYLINE_TOXICITY_BACKEND=f"tests.moderation.backends.{backend}", BYLINE_TOXICITY_TIME_BUDGET_MS=100
    ):
        result = post(old_reader, article, "A perfectly ordinary remark about the budget.")
    assert result.comment.status == Comment.Status.PENDING
    assert Comment.objects.filter(body_source__contains="perfectly ordinary").exists()
    assert {"check": "toxicity", "verdict": "hold", "reason": "classifier unavailable", "score": None} in (
        result.comment.moderation_reasons
    )
    assert "awaits review" in result.message


def test_too_many_links_hold_the_comment(old_reader, article):
    CommentFactory(author=old_reader, article=article)  # not a first-timer
    text = "See https://a.example.org and https://b.example.org and https://c.example.org"
    result = post(old_reader, article, text)
    assert result.comment.status == Comment.Status.PENDING
    assert "3 links" in result.comment.moderation_reasons[0]["reason"]


def test_a_link_from_a_first_time_commenter_is_held(old_reader, article):
    result = post(old_reader, article, "The full report is at https://example.org/report")
    assert result.comment.status == Comment.Status.PENDING
    assert any("first-time" in r["reason"] for r in result.comment.moderation_reasons)


def test_a_filled_honeypot_holds_the_comment(old_reader, article):
    result = post(old_reader, article, "Great article, thanks.", honeypot="http://spam.example")
    assert result.comment.status == Comment.Status.PENDING
    assert result.comment.moderation_reasons[0]["check"] == "honeypot"


def test_the_same_text_posted_by_someone_else_recently_is_held(old_reader, article):
    text = "Visit our shop for the best deals on garden furniture this week"
    CommentFactory(body_source=text)
    result = post(old_reader, article, text)
    assert result.comment.status == Comment.Status.PENDING
    assert any(r["check"] == "duplicate" for r in result.comment.moderation_reasons)


@override_settings(BYLINE_MODERATION_BURST_COUNT=2)
def test_a_burst_of_comments_is_held(old_reader, article):
    CommentFactory(author=old_reader)
    CommentFactory(author=old_reader)
    result = post(old_reader, article, "And one more thing about the budget.")
    assert any(r["check"] == "burst" for r in result.comment.moderation_reasons)
    assert result.comment.status == Comment.Status.PENDING


def test_a_flood_is_held_and_said_to_be_at_least_the_counted_number(old_reader, article, monkeypatch):
    from byline.moderation import selectors

    monkeypatch.setattr(selectors, "BURST_COUNT_CAP", 4)  # the real cap is 100
    for _ in range(5):
        CommentFactory(author=old_reader)
    result = post(old_reader, article, "And one more thing about the budget.")
    burst = next(r for r in result.comment.moderation_reasons if r["check"] == "burst")
    assert burst["reason"] == "4 or more comments in a short time"
    assert result.comment.status == Comment.Status.PENDING


def test_an_account_younger_than_ten_minutes_is_held(article):
    newcomer = UserFactory(date_joined=timezone.now() - timedelta(minutes=3))
    result = post(newcomer, article, "First time here, long-time reader.")
    assert result.comment.status == Comment.Status.PENDING
    assert any(r["check"] == "new_account" for r in result.comment.moderation_reasons)


@override_settings(BYLINE_MODERATION_MODE="pre", BYLINE_MODERATION_TRUST_APPROVED=3)
def test_pre_moderation_holds_everyone_except_trusted_authors(old_reader, article):
    assert post(old_reader, article, "An opinion about the budget.").comment.status == Comment.Status.PENDING
    trusted = UserFactory(date_joined=timezone.now() - timedelta(days=400))
    for _ in range(3):
        CommentFactory(author=trusted, created_at=timezone.now() - timedelta(days=2))
    result = post(trusted, article, "Another opinion about the budget.")
    assert result.comment.status == Comment.Status.APPROVED
    assert result.comment.moderation_reasons[-1]["check"] == "trust"


@override_settings(BYLINE_MODERATION_MODE="pre", BYLINE_MODERATION_TRUST_APPROVED=3)
def test_a_recent_rejection_takes_trust_away(old_reader, article):
    for _ in range(3):
        CommentFactory(author=old_reader, created_at=timezone.now() - timedelta(days=2))
    CommentFactory(
        author=old_reader, status=Comment.Status.REJECTED, created_at=timezone.now() - timedelta(days=1)
    )
    assert post(old_reader, article, "Yet another opinion.").comment.status == Comment.Status.PENDING


def test_pre_moderating_first_timers_on_one_article_only(old_reader, article):
    ArticleModerationSettings.objects.create(article=article, mode="pre_first")
    first = post(old_reader, article, "My first comment here.")
    assert first.comment.status == Comment.Status.PENDING
    regular = UserFactory(date_joined=timezone.now() - timedelta(days=400))
    CommentFactory(author=regular, created_at=timezone.now() - timedelta(days=3))
    assert post(regular, article, "Not my first.").comment.status == Comment.Status.APPROVED


def test_a_banned_reader_is_told_so(old_reader, article):
    AuthorStanding.objects.create(user=old_reader, is_banned=True)
    with pytest.raises(PermissionDenied, match="no longer post"):
        post(old_reader, article, "Let me back in.")
    assert not Comment.objects.filter(author=old_reader).exists()


def test_a_suspended_reader_is_told_until_when(old_reader, article):
    AuthorStanding.objects.create(user=old_reader, suspended_until=timezone.now() + timedelta(days=3))
    with pytest.raises(
        PermissionDenied, match=r"suspended from commenting until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [-+]\d{4}"
    ):
        post(old_reader, article, "Hello?")


def test_an_always_premoderated_author_is_held(old_reader, article):
    AuthorStanding.objects.create(user=old_reader, always_premoderate=True)
    assert post(old_reader, article, "Quiet remark.").comment.status == Comment.Status.PENDING


def test_a_shadow_banned_authors_comment_is_shadowed_and_not_counted(old_reader, article, moderator):
    services.author_act(author=old_reader, moderator=moderator, action="shadow_ban")
    result = post(old_reader, article, "Nobody will notice this one.")
    assert result.comment.status == Comment.Status.APPROVED
    assert result.comment.is_shadowed
    article.refresh_from_db()
    assert article.comment_count == 0


def test_the_pipeline_asks_the_database_one_question(old_reader, article, django_assert_max_num_queries):
    from byline.comments.policy import CommentDraft
    from byline.moderation.pipeline import moderate_comment

    draft = CommentDraft(
        author=old_reader,
        article=article,
        parent=None,
        body_source="A fair point about buses.",
        body_text="A fair point about buses.",
    )
    moderate_comment(draft)  # compiles the word lists once
    # The site's settings and everything about the author, the article and the text, in one query.
    with django_assert_max_num_queries(1):
        decision = moderate_comment(draft)
    assert decision.verdict == "approve"
