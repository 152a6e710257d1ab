from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from byline.comments import services
from byline.comments.models import Comment
from byline.comments.policy import CommentDraft, PolicyDecision, Verdict, approve_all, decide
from byline.core.errors import InvalidInput, PermissionDenied
from byline.newsroom.models import Article
from tests.comments import policies
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, UserFactory


def count(article) -> int:
    return Article.objects.get(pk=article.pk).comment_count


def posted(reader, article, body="Something worth saying.", **kwargs):
    return services.post_comment(author=reader, article=article, body_source=body, **kwargs).comment


@pytest.mark.django_db
def test_counter_follows_every_change_of_state(reader, article):
    comment = posted(reader, article)
    assert count(article) == 1
    services.comment_hold(comment=comment)
    assert count(article) == 0
    services.comment_approve(comment=comment)
    assert count(article) == 1
    services.comment_set_status(comment=comment, status=Comment.Status.APPROVED, is_shadowed=True)
    assert count(article) == 0
    services.comment_set_status(comment=comment, status=Comment.Status.APPROVED, is_shadowed=False)
    assert count(article) == 1
    services.comment_reject(comment=comment, reason="Off-topic")
    assert count(article) == 0
    services.comment_approve(comment=comment)
    services.comment_remove(comment=comment, user=reader)
    assert count(article) == 0
    assert Comment.objects.get().rejection_reason == "Off-topic"


@pytest.mark.django_db
def test_setting_the_same_status_twice_does_not_count_twice(reader, article):
    comment = posted(reader, article)
    services.comment_approve(comment=comment)
    services.comment_approve(comment=comment)
    assert count(article) == 1


@pytest.mark.django_db
def test_set_status_appends_moderation_reasons_and_score(reader, article):
    comment = posted(reader, article)
    reason = {"check": "toxicity", "verdict": "hold", "reason": "score 0.8", "score": 0.8}
    services.comment_set_status(comment=comment, status="pending", reasons=[reason], toxicity_score=0.8)
    comment.refresh_from_db()
    assert comment.moderation_reasons[-1] == reason
    assert comment.toxicity_score == 0.8


@pytest.mark.django_db
def test_recount_repairs_a_wrong_counter(reader, article):
    posted(reader, article)
    Article.objects.filter(pk=article.pk).update(comment_count=42)
    assert services.article_recount_comments(article=article) == 1
    assert count(article) == 1


@pytest.mark.django_db
def test_default_policy_approves_everything(reader, article, settings):
    assert posted(reader, article).status == Comment.Status.APPROVED
    decision = approve_all(
        CommentDraft(author=reader, article=article, parent=None, body_source="x", body_text="x")
    )
    assert decision.verdict == Verdict.APPROVE


@pytest.mark.django_db
def test_policy_named_by_the_setting_is_loaded_at_call_time(reader, article, settings):
    settings.BYLINE_COMMENT_POLICY = "tests.comments.policies.hold_everything"
    policies.SEEN.clear()
    comment = posted(reader, article, "Held for a look", ip_address="203.0.113.9", honeypot="bot")
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reasons[0]["reason"] == "held by the test policy"
    assert comment.toxicity_score == 0.5
    assert count(article) == 0
    draft = policies.SEEN[-1]
    assert draft.body_text == "Held for a look" and draft.honeypot == "bot"
    assert draft.ip_hash and "203.0.113" not in draft.ip_hash


@pytest.mark.django_db
def test_a_policy_that_returns_the_wrong_type_fails_loudly(reader, article, settings):
    settings.BYLINE_COMMENT_POLICY = "tests.comments.policies.not_a_decision"
    with pytest.raises(ImproperlyConfigured):
        decide(CommentDraft(author=reader, article=article, parent=None, body_source="x", body_text="x"))


@pytest.mark.django_db
def test_an_unimportable_policy_fails_with_advice(reader, article, settings):
    settings.BYLINE_COMMENT_POLICY = "nowhere.to.be.found"
    with pytest.raises(ImproperlyConfigured, match="BYLINE_COMMENT_POLICY"):
        decide(CommentDraft(author=reader, article=article, parent=None, body_source="x", body_text="x"))


@pytest.mark.django_db
def test_rejected_comment_is_kept_for_moderators_and_explained_to_the_author(
    reader_client, article, settings
):
    settings.BYLINE_COMMENT_POLICY = "tests.comments.policies.reject_everything"
    response = reader_client.post(f"/comments/post/{article.pk}/", {"body": "Some rude words"})
    body = response.content.decode()
    assert "community guidelines do not allow" in body
    assert "Some rude words" in body  # the text stays in the form to rephrase
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.REJECTED
    assert count(article) == 0


@pytest.mark.django_db
def test_nudge_asks_before_posting_and_posts_when_confirmed(reader_client, article, settings):
    settings.BYLINE_COMMENT_POLICY = "tests.comments.policies.nudge_once"
    response = reader_client.post(f"/comments/post/{article.pk}/", {"body": "You are all wrong"})
    body = response.content.decode()
    assert "This may come across as harsh." in body
    assert 'name="confirm"' in body and "You are all wrong" in body
    assert Comment.objects.count() == 0
    response = reader_client.post(
        f"/comments/post/{article.pk}/", {"body": "You are all wrong", "confirm": "1"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.APPROVED


@pytest.mark.django_db
def test_held_comment_shows_to_its_author_only_marked_awaiting_moderation(client, reader, article, settings):
    settings.BYLINE_COMMENT_POLICY = "tests.comments.policies.hold_everything"
    client.force_login(reader)
    client.post(f"/comments/post/{article.pk}/", {"body": "Pending thoughts"})
    own_view = client.get(article.get_absolute_url()).content.decode()
    assert "Pending thoughts" in own_view and "Awaiting moderation" in own_view
    client.force_login(UserFactory())
    other_view = client.get(article.get_absolute_url()).content.decode()
    assert "Pending thoughts" not in other_view
    client.logout()
    assert "Pending thoughts" not in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_shadowed_comment_is_seen_by_its_author_only(client, reader, article):
    comment = posted(reader, article, "Only I see this")
    services.comment_set_status(comment=comment, status="approved", is_shadowed=True)
    client.force_login(reader)
    assert "Only I see this" in client.get(article.get_absolute_url()).content.decode()
    client.logout()
    assert "Only I see this" not in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_replies_nest_to_the_maximum_depth_then_attach_at_the_deepest_level(reader, article, settings):
    settings.BYLINE_COMMENT_MAX_DEPTH = 3
    other = UserFactory(display_name="Other Voice")
    top = posted(reader, article, "level 0")
    one = posted(other, article, "level 1", parent_id=top.pk)
    two = posted(reader, article, "level 2", parent_id=one.pk)
    three = posted(other, article, "level 3", parent_id=two.pk)
    four = posted(reader, article, "would be level 4", parent_id=three.pk)
    assert [top.depth, one.depth, two.depth, three.depth] == [0, 1, 2, 3]
    assert four.depth == 3 and four.parent_id == two.pk and four.in_reply_to_id == three.pk
    assert {c.thread_root_id for c in (one, two, three, four)} == {top.pk}


@pytest.mark.django_db
def test_a_reply_shows_whom_it_answers(reader_client, reader, article, settings):
    settings.BYLINE_COMMENT_MAX_DEPTH = 1
    first = posted(UserFactory(display_name="Ana First"), article, "first")
    second = posted(UserFactory(display_name="Ben Second"), article, "second", parent_id=first.pk)
    posted(reader, article, "third", parent_id=second.pk)
    page = reader_client.get(article.get_absolute_url()).content.decode()
    assert f'in reply to <a href="#comment-{second.pk}">Ben Second</a>' in page


@pytest.mark.django_db
def test_author_edits_within_the_window_and_the_comment_is_marked_edited(reader_client, reader, article):
    comment = posted(reader, article, "Teh typo")
    response = reader_client.post(f"/comments/{comment.pk}/edit/", {"body": "The typo, fixed"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body_source == "The typo, fixed" and comment.edited_at is not None
    page = reader_client.get(article.get_absolute_url()).content.decode()
    assert "(edited)" in page and "The typo, fixed" in page


@pytest.mark.django_db
def test_editing_after_fifteen_minutes_is_refused(reader_client, reader, article):
    comment = posted(reader, article, "Old words")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    response = reader_client.post(f"/comments/{comment.pk}/edit/", {"body": "New words"})
    assert response.status_code == 403
    assert "15 minutes" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body_source == "Old words"


@pytest.mark.django_db
def test_edit_with_empty_text_is_refused_and_keeps_the_comment(reader_client, reader, article):
    comment = posted(reader, article, "Keep me")
    response = reader_client.post(f"/comments/{comment.pk}/edit/", {"body": "  "})
    assert response.status_code == 400
    assert "your comment is empty" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body_source == "Keep me"


@pytest.mark.django_db
def test_nobody_edits_or_deletes_someone_elses_comment(reader_client, article):
    theirs = CommentFactory(article=article, body_source="Not yours")
    assert reader_client.post(f"/comments/{theirs.pk}/edit/", {"body": "Hijack"}).status_code == 403
    assert reader_client.post(f"/comments/{theirs.pk}/delete/").status_code == 403
    theirs.refresh_from_db()
    assert theirs.body_source == "Not yours" and not theirs.is_removed


@pytest.mark.django_db
def test_edit_that_the_policy_holds_leaves_the_count(reader, article, settings):
    comment = posted(reader, article, "Clean")
    settings.BYLINE_COMMENT_POLICY = "tests.comments.policies.hold_everything"
    services.comment_edit(comment=comment, user=reader, body_source="Now questionable")
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert count(article) == 0


@pytest.mark.django_db
def test_deleted_comment_shows_as_removed_and_its_replies_stay(reader_client, reader, article):
    comment = posted(reader, article, "I regret this")
    reply = posted(UserFactory(display_name="Replier"), article, "A reply that stays", parent_id=comment.pk)
    response = reader_client.post(f"/comments/{comment.pk}/delete/")
    assert response.status_code == 302
    page = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Comment removed" in page
    assert "I regret this" not in page
    assert "A reply that stays" in page and f'id="comment-{reply.pk}"' in page
    assert count(article) == 1


@pytest.mark.django_db
def test_check_may_comment_refuses_inactive_accounts(article):
    with pytest.raises(PermissionDenied):
        services.check_may_comment(user=UserFactory(is_active=False), article=article)


@pytest.mark.django_db
def test_clean_body_trims_and_refuses_empty():
    assert services.clean_body("  hi \r\n") == "hi"
    with pytest.raises(InvalidInput):
        services.clean_body("\n\n")


@pytest.mark.django_db
def test_policy_decision_can_carry_a_plain_string_verdict(reader, article, settings):
    decision = PolicyDecision(verdict="hold")
    assert Verdict(decision.verdict) == Verdict.HOLD
    assert ArticleFactory().comments_open
