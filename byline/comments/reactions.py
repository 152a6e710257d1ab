"""Likes and reports: what readers do to other readers' comments."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from byline.accounts import ratelimit
from byline.comments.models import Comment, CommentLike, CommentReport
from byline.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied


def visible_comment(*, comment_id) -> Comment:
    """A comment every reader can see, or NotFound."""
    try:
        comment = Comment.objects.select_related("article__section").get(pk=int(comment_id))
    except (ValueError, TypeError, Comment.DoesNotExist):
        raise NotFound("That comment does not exist.") from None
    if not comment.is_public:
        raise NotFound("That comment does not exist.")
    return comment


def require_reader(user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Sign in to do that.", code="login_required")
    if not user.is_verified:
        raise PermissionDenied("Please confirm your email address first.", code="unverified")


@transaction.atomic
def comment_like_toggle(*, comment: Comment, user) -> tuple[bool, int]:
    """Like the comment, or take the like back. Returns (liked now, the comment's like count)."""
    require_reader(user)
    if comment.author_id == user.pk:
        raise InvalidInput("You cannot like your own comment.", code="own_comment")
    ratelimit.hit(
        scope="like", key=str(user.pk), limit=120, window_seconds=60, message="Slow down a little, please."
    )
    deleted, _ = CommentLike.objects.filter(comment=comment, user=user).delete()
    if deleted:
        Comment.objects.filter(pk=comment.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
        liked = False
    else:
        try:
            with transaction.atomic():
                CommentLike.objects.create(comment=comment, user=user)
        except IntegrityError:  # a double click raced us: the like exists, which is what was asked
            return True, Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)
        Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
        liked = True
    count = Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)
    comment.like_count = count
    return liked, count


@transaction.atomic
def comment_report(*, comment: Comment, user, reason: str, text: str = "") -> CommentReport:
    """Report a comment to the moderators, once per reader per comment."""
    require_reader(user)
    if reason not in CommentReport.Reason.values:
        raise InvalidInput("Choose why you are reporting this comment.", code="reason", field="reason")
    text = (text or "").replace("\x00", "").strip()
    if reason == CommentReport.Reason.OTHER and not text:
        raise InvalidInput("Tell us briefly what is wrong with this comment.", code="text", field="text")
    if len(text) > 1000:
        raise InvalidInput("Please keep the explanation under 1,000 characters.", code="text", field="text")
    if comment.author_id == user.pk:
        raise InvalidInput(
            "You cannot report your own comment; you can delete it instead.", code="own_comment"
        )
    ratelimit.hit(
        scope="report", key=str(user.pk), limit=20, window_seconds=3600, message="You have sent many reports."
    )
    report = CommentReport(comment=comment, reporter=user, reason=reason, text=text)
    try:
        with transaction.atomic():
            report.full_clean(validate_constraints=False)
            report.save()
    except IntegrityError:
        raise Conflict(
            "You have already reported this comment. Thank you.", code="already_reported"
        ) from None
    return report
