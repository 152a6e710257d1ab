"""Writes for moderation: decisions on comments and authors, undo, appeals, word lists, settings.

Every function here writes its audit-log row (`ModerationEvent`) in the same transaction as the change.
A comment's status changes only through `byline.comments.services.comment_set_status`, which keeps the
articles' comment counts exact. Emails go out after commit.
"""

from __future__ import annotations

import contextvars
import hashlib
from datetime import timedelta

from django.db import router, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from byline.comments import services as comment_services
from byline.comments.models import Comment, CommentReport
from byline.core.conf import byline_setting
from byline.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from byline.core.rows import precomposed_insert
from byline.moderation.models import (
    Appeal,
    AuthorStanding,
    ModerationEvent,
)

# Set while a moderator's action saves a comment, so the post_save receiver does not log it a second time.
_acting = contextvars.ContextVar("moderation_acting", default=False)
Action = ModerationEvent.Action
COMMENT_ACTIONS = {Action.APPROVE, Action.REJECT, Action.HOLD, Action.FEATURE, Action.UNFEATURE}
AUTHOR_ACTIONS = {
    Action.WARN,
    Action.SUSPEND,
    Action.BAN,
    Action.PREMODERATE,
    Action.SHADOW_BAN,
    Action.RESTORE,
}


def is_moderator(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=byline_setting("BYLINE_MODERATION_GROUP")).exists()


def require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied("Only moderators may do that.", code="not_moderator")


def comment_fingerprint(comment: Comment) -> str:
    """A short hash of everything a moderator looked at; a decision sent with an old one is refused."""
    state = "|".join(
        str(part)
        for part in (
            comment.status,
            comment.is_removed,
            comment.is_featured,
            comment.is_shadowed,
            comment.edited_at and comment.edited_at.isoformat(),
            len(comment.moderation_reasons or []),
            comment.body_source,
        )
    )
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def _log(
    *,
    action: str,
    comment: Comment | None = None,
    author=None,
    actor=None,
    reason: str = "",
    status_before: str = "",
    status_after: str = "",
    details: dict | None = None,
    reverts: ModerationEvent | None = None,
) -> ModerationEvent:
    event = ModerationEvent(
        comment=comment,
        comment_ref=comment.pk if comment is not None else None,
        author=author if author is not None else (comment.author if comment is not None else None),
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "system",
        action=action,
        reason=reason[:2000],
        status_before=status_before,
        status_after=status_after,
        details=details or {},
        reverts=reverts,
    )
    # The comment and the people are objects our callers hold (loaded or just saved): checking that they
    # exist would cost a query each for every logged decision. `reverts` stays checked (one undo per event).
    event.full_clean(exclude=["comment", "author", "actor"])
    _save_event(event)
    return event


def _save_event(event: ModerationEvent) -> None:
    """`event.save()` for a new row, with the INSERT written once per process (`precomposed_insert`): one
    runs for every comment posted. While anyone listens to the log's own save signals, the ORM saves it (and
    ModerationEvent.save refuses a row that exists: the log is append-only)."""
    meta = ModerationEvent._meta
    listened = pre_save.has_listeners(ModerationEvent) or post_save.has_listeners(ModerationEvent)
    if listened or event.pk is not None or not event._state.adding:
        event.save()
        return
    event._prepare_related_fields_for_save(operation_name="save")
    using = router.db_for_write(ModerationEvent, instance=event)
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated]
    with transaction.mark_for_rollback_on_error(using):
        inserted = precomposed_insert(
            event, using=using, fields=fields, returning_fields=meta.db_returning_fields
        )
    if inserted is None:
        event.save()
        return
    for value, field in zip(inserted[0], meta.db_returning_fields, strict=True):
        setattr(event, field.attname, value)
    event._state.db = using
    event._state.adding = False


def author_is_shadow_banned(user_id: int, *, author=None) -> bool:
    """Whether the author's comments are visible to them only. An `author` whose standing was read with
    it in this request (the pipeline keeps it there, as select_related would) is answered without a
    query."""
    standing_rel = AuthorStanding.user.field.remote_field
    if author is not None and author.pk == user_id and standing_rel.is_cached(author):
        standing = standing_rel.get_cached_value(author)
        return standing is not None and standing.is_shadow_banned
    return AuthorStanding.objects.filter(user_id=user_id, is_shadow_banned=True).exists()


def record_policy_event(*, comment: Comment, created: bool, update_fields=None) -> None:
    """Log the policy's automatic decision on a new or edited comment (called from post_save, inside the
    comment's own transaction). Saves by moderators' actions are logged by those actions instead."""
    if _acting.get():
        return
    reasons = comment.moderation_reasons or []
    if created:
        summary = (
            "; ".join(r.get("reason", "") for r in reasons if r.get("verdict") != "approve")
            or "nothing flagged"
        )
        _log(
            action=Action.POLICY,
            comment=comment,
            reason=summary,
            status_after=comment.status,
            details={"reasons": reasons, "toxicity": comment.toxicity_score, "shadowed": comment.is_shadowed},
        )
        return
    if comment.edited_at is None or (update_fields is not None and "body_source" not in update_fields):
        return
    edited = comment.edited_at.isoformat()
    if ModerationEvent.objects.filter(
        comment=comment, action=Action.EDITED, details__edited_at=edited
    ).exists():
        return
    last = ModerationEvent.objects.filter(comment=comment).order_by("-created_at", "-id").first()
    _log(
        action=Action.EDITED,
        comment=comment,
        reason="; ".join(r.get("reason", "") for r in reasons[-5:]),
        status_before=last.status_after if last else "",
        status_after=comment.status,
        details={"edited_at": edited, "toxicity": comment.toxicity_score},
    )


def _locked_comment(comment_id: int) -> Comment:
    try:
        return (
            Comment.objects.select_for_update(of=("self",))
            .select_related("author", "article")
            .get(pk=comment_id)
        )
    except Comment.DoesNotExist:
        raise NotFound("That comment no longer exists.") from None


def _set_status(comment: Comment, **changes) -> Comment:
    token = _acting.set(True)
    try:
        return comment_services.comment_set_status(comment=comment, **changes)
    finally:
        _acting.reset(token)


@transaction.atomic
def comment_moderate(
    *, comment_id: int, moderator, action: str, reason: str = "", fingerprint: str | None = None
) -> ModerationEvent:
    """Approve, reject (with a reason the author sees), send back to the queue, feature or unfeature."""
    require_moderator(moderator)
    if action not in COMMENT_ACTIONS:
        raise InvalidInput(f"Unknown action {action!r}.", code="bad_action")
    comment = _locked_comment(comment_id)
    if comment.author_id is not None and comment.author_id == moderator.pk:
        raise PermissionDenied("You cannot moderate your own comment.", code="own_comment")
    if fingerprint is not None and fingerprint != comment_fingerprint(comment):
        raise Conflict("This comment changed while you were looking at it. Look again before deciding.")
    reason = (reason or "").strip()
    if action == Action.REJECT and not reason:
        raise InvalidInput("Say why the comment is rejected: its author will see the reason.", field="reason")
    before = comment.status
    was_featured = comment.is_featured
    if action == Action.APPROVE:
        _set_status(comment, status=Comment.Status.APPROVED, rejection_reason="")
    elif action == Action.REJECT:
        _set_status(comment, status=Comment.Status.REJECTED, rejection_reason=reason, is_featured=False)
    elif action == Action.HOLD:
        _set_status(comment, status=Comment.Status.PENDING)
    elif action == Action.FEATURE:
        if comment.status != Comment.Status.APPROVED:
            raise InvalidInput("Only an approved comment can be featured.", code="not_approved")
        _set_status(comment, status=comment.status, is_featured=True)
    else:
        _set_status(comment, status=comment.status, is_featured=False)
    event = _log(
        action=action,
        comment=comment,
        actor=moderator,
        reason=reason,
        status_before=before,
        status_after=comment.status,
        details={"featured_before": was_featured},
    )
    if action in (Action.APPROVE, Action.REJECT):
        CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        _decide_appeal(comment, approved=action == Action.APPROVE)
        if before == Comment.Status.PENDING:
            from byline.moderation.notifications import send_decision_email_on_commit

            send_decision_email_on_commit(comment=comment, approved=action == Action.APPROVE, reason=reason)
    return event


def _decide_appeal(comment: Comment, *, approved: bool) -> None:
    Appeal.objects.filter(comment=comment, status=Appeal.Status.OPEN).update(
        status=Appeal.Status.OVERTURNED if approved else Appeal.Status.UPHELD, decided_at=timezone.now()
    )


def _standing_snapshot(standing: AuthorStanding) -> dict:
    return {
        "warnings": standing.warnings,
        "suspended_until": standing.suspended_until.isoformat() if standing.suspended_until else None,
        "is_banned": standing.is_banned,
        "always_premoderate": standing.always_premoderate,
        "is_shadow_banned": standing.is_shadow_banned,
    }


def _restore_snapshot(standing: AuthorStanding, snapshot: dict) -> None:
    from django.utils.dateparse import parse_datetime

    standing.warnings = snapshot["warnings"]
    standing.suspended_until = (
        parse_datetime(snapshot["suspended_until"]) if snapshot["suspended_until"] else None
    )
    standing.is_banned = snapshot["is_banned"]
    standing.always_premoderate = snapshot["always_premoderate"]
    standing.is_shadow_banned = snapshot["is_shadow_banned"]


def _shadow_existing(author, shadowed: bool) -> None:
    for comment in Comment.objects.filter(author=author, is_shadowed=not shadowed):
        _set_status(comment, status=comment.status, is_shadowed=shadowed)


@transaction.atomic
def author_act(
    *,
    author,
    moderator,
    action: str,
    reason: str = "",
    days: int | None = None,
    comment: Comment | None = None,
) -> ModerationEvent:
    """Warn, suspend for N days, ban, always pre-moderate, shadow-ban an author, or restore their standing."""
    require_moderator(moderator)
    if action not in AUTHOR_ACTIONS:
        raise InvalidInput(f"Unknown action {action!r}.", code="bad_action")
    if author is None:
        raise InvalidInput("This comment has no account behind it.", code="no_author")
    if author.pk == moderator.pk:
        raise PermissionDenied("You cannot moderate yourself.", code="own_account")
    standing, _ = AuthorStanding.objects.select_for_update().get_or_create(user=author)
    before = _standing_snapshot(standing)
    details: dict = {"before": before}
    if action == Action.WARN:
        standing.warnings += 1
    elif action == Action.SUSPEND:
        if not days or days < 1 or days > 3650:
            raise InvalidInput("Suspend for a number of days between 1 and 3650.", field="days")
        standing.suspended_until = timezone.now() + timedelta(days=days)
        details["days"] = days
    elif action == Action.BAN:
        standing.is_banned = True
    elif action == Action.PREMODERATE:
        standing.always_premoderate = True
    elif action == Action.SHADOW_BAN:
        standing.is_shadow_banned = True
    else:
        standing.suspended_until = None
        standing.is_banned = standing.always_premoderate = standing.is_shadow_banned = False
    standing.full_clean()
    standing.save()
    if before["is_shadow_banned"] != standing.is_shadow_banned:
        _shadow_existing(author, standing.is_shadow_banned)
    details["after"] = _standing_snapshot(standing)
    return _log(
        action=action, comment=comment, author=author, actor=moderator, reason=reason, details=details
    )


@transaction.atomic
def decision_undo(*, event_id: int, moderator) -> ModerationEvent:
    """Revert a moderator's recent decision (within BYLINE_MODERATION_UNDO_MINUTES), logged as a new row."""
    require_moderator(moderator)
    try:
        event = ModerationEvent.objects.select_for_update().get(pk=event_id)
    except ModerationEvent.DoesNotExist:
        raise NotFound("That decision does not exist.") from None
    window = timedelta(minutes=byline_setting("BYLINE_MODERATION_UNDO_MINUTES"))
    if event.action not in COMMENT_ACTIONS | AUTHOR_ACTIONS or event.actor_id is None:
        raise InvalidInput("Only a moderator's decision can be undone.", code="not_undoable")
    if timezone.now() - event.created_at > window:
        raise InvalidInput("That decision is too old to undo; make a new one instead.", code="undo_expired")
    if ModerationEvent.objects.filter(reverts=event).exists():
        raise Conflict("That decision was already undone.")
    if event.author_id is not None and event.author_id == moderator.pk:
        raise PermissionDenied("You cannot undo a decision about yourself.", code="own_account")
    if event.action in COMMENT_ACTIONS:
        if event.comment_id is None:
            raise NotFound("That comment no longer exists.")
        comment = _locked_comment(event.comment_id)
        if comment.status != event.status_after:
            raise Conflict("The comment changed since that decision; decide again instead.")
        before = comment.status
        _set_status(
            comment,
            status=event.status_before or comment.status,
            is_featured=event.details.get("featured_before", comment.is_featured),
        )
        return _log(
            action=Action.UNDO,
            comment=comment,
            actor=moderator,
            reason=f"undid: {event.get_action_display()}",
            status_before=before,
            status_after=comment.status,
            reverts=event,
        )
    standing = AuthorStanding.objects.select_for_update().get(user_id=event.author_id)
    was_shadowed = standing.is_shadow_banned
    _restore_snapshot(standing, event.details["before"])
    standing.full_clean()
    standing.save()
    if was_shadowed != standing.is_shadow_banned:
        _shadow_existing(standing.user, standing.is_shadow_banned)
    return _log(
        action=Action.UNDO,
        comment=event.comment,
        author=standing.user,
        actor=moderator,
        reason=f"undid: {event.get_action_display()}",
        reverts=event,
    )


@transaction.atomic
def appeal_create(*, comment_id: int, user, text: str = "") -> Appeal:
    """The author of a rejected comment asks, once, for a second look: it returns to the queue, marked."""
    comment = _locked_comment(comment_id)
    if not getattr(user, "is_authenticated", False) or comment.author_id != user.pk:
        raise PermissionDenied("Only the comment's author may appeal.", code="not_yours")
    if comment.status != Comment.Status.REJECTED:
        raise InvalidInput("Only a rejected comment can be appealed.", code="not_rejected")
    if Appeal.objects.filter(comment=comment).exists():
        raise Conflict("You have already appealed this decision.", code="already_appealed")
    text = (text or "").strip()
    if len(text) > 2000:
        raise InvalidInput("Keep your appeal under 2,000 characters.", field="text")
    appeal = Appeal(comment=comment, author=user, text=text)
    appeal.full_clean()
    appeal.save()
    _set_status(comment, status=Comment.Status.PENDING)
    _log(
        action=Action.APPEAL,
        comment=comment,
        actor=user,
        reason=text,
        status_before=Comment.Status.REJECTED,
        status_after=Comment.Status.PENDING,
    )
    return appeal
