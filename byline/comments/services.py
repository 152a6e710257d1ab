"""Writes for comments. Every change of a comment's visibility goes through here, so that
`Article.comment_count` stays exact: it is updated with F() in the same transaction as the comment.

Other apps (moderation, imports) call `comment_set_status` and friends; they never save a Comment's state
fields themselves.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from byline.comments.models import Comment
from byline.newsroom.models import Article

_UNSET = object()
_STATE_FIELDS = (
    "status",
    "rejection_reason",
    "moderation_reasons",
    "toxicity_score",
    "is_shadowed",
    "is_featured",
)


def _shift_article_count(*, article_id: int, was_public: bool, is_public: bool) -> None:
    if was_public == is_public:
        return
    if is_public:
        Article.objects.filter(pk=article_id).update(comment_count=F("comment_count") + 1)
    else:
        live = Article.objects.filter(pk=article_id, comment_count__gt=0)
        live.update(comment_count=F("comment_count") - 1)


@transaction.atomic
def comment_set_status(
    *,
    comment: Comment,
    status: Comment.Status | str,
    rejection_reason: str | None = None,
    reasons: list[dict] | None = None,
    toxicity_score=_UNSET,
    is_shadowed: bool | None = None,
    is_featured: bool | None = None,
) -> Comment:
    """Change a comment's moderation state (and optionally its shadow/feature flags), keeping counts exact.

    `reasons` are appended to the comment's `moderation_reasons`. When a reply becomes visible for the first
    time, the author of the comment it answers is notified after commit.
    """
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    was_public = locked.is_public
    was_ever_approved = locked.status == Comment.Status.APPROVED
    locked.status = Comment.Status(status)
    if rejection_reason is not None:
        locked.rejection_reason = rejection_reason
    if reasons:
        locked.moderation_reasons = [*locked.moderation_reasons, *reasons]
    if toxicity_score is not _UNSET:
        locked.toxicity_score = toxicity_score
    if is_shadowed is not None:
        locked.is_shadowed = is_shadowed
    if is_featured is not None:
        locked.is_featured = is_featured
    locked.full_clean()
    locked.save()
    _shift_article_count(article_id=locked.article_id, was_public=was_public, is_public=locked.is_public)
    if locked.is_public and not was_ever_approved:
        _after_comment_visible(locked)
    _after_comment_changed(locked)
    # Hand the caller's object the new state.
    for name in _STATE_FIELDS:
        setattr(comment, name, getattr(locked, name))
    return comment


def comment_approve(*, comment: Comment, reasons: list[dict] | None = None) -> Comment:
    return comment_set_status(comment=comment, status=Comment.Status.APPROVED, reasons=reasons)


def comment_reject(*, comment: Comment, reason: str = "", reasons: list[dict] | None = None) -> Comment:
    return comment_set_status(
        comment=comment, status=Comment.Status.REJECTED, rejection_reason=reason, reasons=reasons
    )


def _after_comment_visible(comment: Comment) -> None:
    from byline.comments.notifications import notify_reply_on_commit

    notify_reply_on_commit(comment)


def _after_comment_changed(comment: Comment) -> None:
    from byline.comments.signals import comment_changed

    transaction.on_commit(lambda: comment_changed.send(sender=Comment, comment=comment))
