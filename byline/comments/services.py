"""Writes for comments. Every change of a comment's visibility goes through here, so that
`Article.comment_count` stays exact: it is updated with F() in the same transaction as the comment.

Other apps (moderation, imports) call `comment_set_status` and friends; they never save a Comment's state
fields themselves. Likes and reports live in `byline.comments.reactions`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from byline.accounts import ratelimit
from byline.comments import rules
from byline.comments.models import Comment
from byline.comments.policy import CommentDraft, PolicyDecision, Verdict, decide
from byline.core.conf import byline_setting
from byline.core.errors import InvalidInput, NotFound, PermissionDenied
from byline.core.ip import ip_fingerprint
from byline.core.text import plain_text, render_comment
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
# A new comment's foreign keys are rows this request has just read and its depth comes from
# rules.reply_placement; validating them again would cost five queries per post (the database enforces
# both anyway: foreign keys and the depth check constraint). With depth left out the model's one check
# constraint has nothing to check, yet Django would still build a query to find that out (~0.45 ms of CPU
# per post): constraints are left to the database on create.
_TRUSTED_ON_CREATE = ("article", "author", "parent", "in_reply_to", "thread_root", "depth")
_VERDICT_STATUS = {
    Verdict.APPROVE: Comment.Status.APPROVED,
    Verdict.HOLD: Comment.Status.PENDING,
    Verdict.REJECT: Comment.Status.REJECTED,
}


@dataclass
class PostResult:
    """What happened to a post. `comment` is None only when the policy nudged and nothing was saved."""

    comment: Comment | None
    decision: PolicyDecision
    duplicate: bool = False

    @property
    def message(self) -> str:
        if self.decision.nudge and self.comment is None:
            return self.decision.message_for_author or "Please look at your comment again before posting it."
        if self.comment is None or self.comment.status == Comment.Status.APPROVED:
            return ""
        if self.comment.status == Comment.Status.PENDING:
            return self.decision.message_for_author or "Thanks! Your comment is awaiting moderation."
        return self.decision.message_for_author or "Your comment was not published."


def clean_body(body_source: str) -> str:
    """Validate a comment's text and return it trimmed, or raise InvalidInput with a message for readers."""
    body = (body_source or "").replace("\r\n", "\n")
    if "\x00" in body or "\ufffd" in body:
        raise InvalidInput(
            "Your comment contains characters we cannot store (a NUL byte or text that is not valid UTF-8). "
            "Remove them and try again.",
            code="bad_characters",
            field="body",
        )
    body = body.strip()
    if not body:
        raise InvalidInput(
            "Write something before posting: your comment is empty.", code="empty", field="body"
        )
    limit = byline_setting("BYLINE_COMMENT_MAX_LENGTH")
    if len(body) > limit:
        raise InvalidInput(
            f"Your comment is {len(body):,} characters long; the limit is {limit:,}. Please shorten it.",
            code="too_long",
            field="body",
        )
    return body


def check_may_comment(*, user, article: Article) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Sign in to join the conversation.", code="login_required")
    if not user.is_active:
        raise PermissionDenied("This account cannot post comments.", code="inactive")
    if not user.is_verified:
        raise PermissionDenied(
            "Please confirm your email address first: follow the link we emailed you.", code="unverified"
        )
    if rules.comments_closed(article):
        raise PermissionDenied("Comments are closed on this article.", code="closed")


def _find_parent(*, article: Article, parent_id) -> Comment | None:
    if parent_id in (None, ""):
        return None
    try:
        parent = Comment.objects.select_related("author").get(pk=int(parent_id))
    except (ValueError, TypeError, Comment.DoesNotExist):
        raise NotFound("The comment you are replying to does not exist.", code="no_parent") from None
    if parent.article_id != article.pk:
        raise InvalidInput(
            "The comment you are replying to belongs to another article.", code="wrong_article"
        )
    if parent.is_removed:
        raise InvalidInput(
            "The comment you are replying to was removed; you cannot reply to it.", code="removed"
        )
    if not parent.is_public:
        raise NotFound("The comment you are replying to does not exist.", code="no_parent")
    return parent


def _duplicate_key(user_id: int, article_id: int, body: str) -> str:
    import hashlib

    digest = hashlib.sha256(body.encode()).hexdigest()[:32]
    return f"byline:comment-dup:{user_id}:{article_id}:{digest}"


def _check_rate(user_id: int) -> None:
    ratelimit.hit_all(
        key=str(user_id),
        limits=[
            (
                "comment-minute",
                byline_setting("BYLINE_COMMENT_RATE_PER_MINUTE"),
                60,
                "You have posted several comments in the last minute. Please wait a moment before the next.",
            ),
            (
                "comment-day",
                byline_setting("BYLINE_COMMENT_RATE_PER_DAY"),
                86400,
                "You have reached today's limit of comments. Thank you for taking part; come back tomorrow.",
            ),
        ],
    )


def post_comment(
    *,
    author,
    article: Article,
    body_source: str,
    parent_id: int | str | None = None,
    ip_address: str = "",
    honeypot: str = "",
    confirmed_nudge: bool = False,
) -> PostResult:
    """Post a comment or a reply: validate, ask the policy, store, count, notify after commit.

    A published comment leaves `article.comment_count` as stored after it was counted.

    The same text from the same reader on the same article within BYLINE_COMMENT_DUPLICATE_SECONDS returns the
    first comment instead of posting twice (a double-clicked button, a resubmitted form).
    """
    check_may_comment(user=author, article=article)
    body = clean_body(body_source)
    parent = _find_parent(article=article, parent_id=parent_id)

    duplicate_window = byline_setting("BYLINE_COMMENT_DUPLICATE_SECONDS")
    dup_key = _duplicate_key(author.pk, article.pk, body)
    earlier_id = cache.get(dup_key) if duplicate_window > 0 else None  # 0: the check is off
    if earlier_id:
        earlier = Comment.objects.filter(pk=earlier_id, author=author).first()
        if earlier is not None:
            return PostResult(comment=earlier, decision=_decision_of(earlier), duplicate=True)
    _check_rate(author.pk)

    body_html = render_comment(body)
    draft = CommentDraft(
        author=author,
        article=article,
        parent=parent,
        body_source=body,
        body_text=plain_text(body_html),
        body_html=body_html,
        ip_hash=ip_fingerprint(ip_address),
        honeypot=honeypot or "",
        confirmed_nudge=confirmed_nudge,
    )
    decision = decide(draft)
    if decision.nudge and not confirmed_nudge:
        return PostResult(comment=None, decision=decision)
    comment = _store_comment(draft=draft, decision=decision)
    if duplicate_window > 0:
        cache.set(dup_key, comment.pk, timeout=duplicate_window)
    return PostResult(comment=comment, decision=decision)


@transaction.atomic
def _store_comment(*, draft: CommentDraft, decision: PolicyDecision) -> Comment:
    parent, depth = (None, 0)
    if draft.parent is not None:
        parent, depth = rules.reply_placement(draft.parent)
    status = _VERDICT_STATUS[Verdict(decision.verdict)]
    comment = Comment(
        article=draft.article,
        author=draft.author,
        parent=parent,
        in_reply_to=draft.parent,
        thread_root=(parent.thread_root or parent) if parent else None,
        depth=depth,
        body_source=draft.body_source,
        body_html=draft.body_html,
        status=status,
        moderation_reasons=list(decision.reasons),
        toxicity_score=decision.toxicity_score,
        rejection_reason=decision.message_for_author if status == Comment.Status.REJECTED else "",
        ip_hash=draft.ip_hash,
    )
    comment.full_clean(exclude=_TRUSTED_ON_CREATE, validate_constraints=False)
    comment.save()
    if comment.is_public:
        _count_published(draft.article)
        _after_comment_visible(comment)
    # A held comment shows on no listing (counts are of published comments), only to its author.
    _after_comment_changed(comment, listings=comment.is_public)
    return comment


def _decision_of(comment: Comment) -> PolicyDecision:
    verdict = {v: k for k, v in _VERDICT_STATUS.items()}[Comment.Status(comment.status)]
    return PolicyDecision(
        verdict=verdict, reasons=comment.moderation_reasons, message_for_author=comment.rejection_reason
    )


def comment_for_author(*, comment_id, user) -> Comment:
    """The reader's own comment, or NotFound (which also hides other readers' comments from edit/delete)."""
    try:
        comment = Comment.objects.select_related("article__section", "author").get(pk=int(comment_id))
    except (ValueError, TypeError, Comment.DoesNotExist):
        raise NotFound("That comment does not exist.") from None
    if not user.is_authenticated or comment.author_id != user.pk:
        raise PermissionDenied("You can only change your own comments.", code="not_yours")
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, user, body_source: str, confirmed_nudge: bool = False) -> PostResult:
    """Replace a comment's text within the edit window. The policy reads the new text: an edit may be held."""
    if comment.author_id != getattr(user, "pk", None):
        raise PermissionDenied("You can only edit your own comments.", code="not_yours")
    if comment.is_removed:
        raise InvalidInput("That comment was removed and cannot be edited.", code="removed")
    if not rules.may_edit(comment, user):
        minutes = byline_setting("BYLINE_COMMENT_EDIT_MINUTES")
        raise PermissionDenied(
            f"Comments can be edited for {minutes} minutes after posting.", code="edit_closed"
        )
    body = clean_body(body_source)
    body_html = render_comment(body)
    draft = CommentDraft(
        author=user,
        article=comment.article,
        parent=comment.in_reply_to,
        body_source=body,
        body_text=plain_text(body_html),
        body_html=body_html,
        ip_hash=comment.ip_hash,
        confirmed_nudge=confirmed_nudge,
        editing=comment,
    )
    decision = decide(draft)
    if decision.nudge and not confirmed_nudge:
        return PostResult(comment=None, decision=decision)
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    was_public = locked.is_public
    locked.body_source = body
    locked.body_html = body_html
    locked.edited_at = timezone.now()
    new_status = _VERDICT_STATUS[Verdict(decision.verdict)]
    # An edit never promotes a held or rejected comment: only a moderator does that.
    if locked.status == Comment.Status.APPROVED or new_status != Comment.Status.APPROVED:
        locked.status = new_status
    locked.moderation_reasons = [*locked.moderation_reasons, *decision.reasons]
    if decision.toxicity_score is not None:
        locked.toxicity_score = decision.toxicity_score
    if new_status == Comment.Status.REJECTED:
        locked.rejection_reason = decision.message_for_author
    locked.full_clean()
    locked.save()
    _shift_article_count(article_id=locked.article_id, was_public=was_public, is_public=locked.is_public)
    _after_comment_changed(locked)
    return PostResult(comment=locked, decision=decision)


@transaction.atomic
def comment_remove(*, comment: Comment, user) -> Comment:
    """The author deletes their comment: its text is erased, its place (and its replies) stay."""
    if comment.author_id != getattr(user, "pk", None):
        raise PermissionDenied("You can only delete your own comments.", code="not_yours")
    return _remove(comment)


def _remove(comment: Comment) -> Comment:
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.is_removed:
        return locked
    was_public = locked.is_public
    locked.is_removed = True
    locked.body_source = ""
    locked.body_html = ""
    locked.save(update_fields=["is_removed", "body_source", "body_html"])
    _shift_article_count(article_id=locked.article_id, was_public=was_public, is_public=False)
    _after_comment_changed(locked)
    return locked


def _count_published(article: Article) -> None:
    """One more published comment on `article`, whose `comment_count` then holds the stored count: the
    UPDATE returns it, where reading it back would cost a query per post. (RETURNING came to SQLite in
    3.35, with INSERT … RETURNING: an older one counts with update() and reads the count back.)"""
    if not connection.features.can_return_columns_from_insert:
        _shift_article_count(article_id=article.pk, was_public=False, is_public=True)
        article.refresh_from_db(fields=["comment_count"])
        return
    quote = connection.ops.quote_name
    table, column = quote(Article._meta.db_table), quote(Article._meta.get_field("comment_count").column)
    pk = quote(Article._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = {column} + 1 WHERE {pk} = %s RETURNING {column}",  # noqa: S608  # nosec B608 (model metadata)
            [article.pk],
        )
        row = cursor.fetchone()
    if row is not None:
        article.comment_count = row[0]


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
    was_approved = locked.status == Comment.Status.APPROVED
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
    if locked.is_public and not was_approved:
        _after_comment_visible(locked)
    _after_comment_changed(locked)
    # Hand the caller's object the new state.
    for name in _STATE_FIELDS:
        setattr(comment, name, getattr(locked, name))
    return comment


def comment_approve(*, comment: Comment, reasons: list[dict] | None = None) -> Comment:
    return comment_set_status(comment=comment, status=Comment.Status.APPROVED, reasons=reasons)


def comment_hold(*, comment: Comment, reasons: list[dict] | None = None) -> Comment:
    return comment_set_status(comment=comment, status=Comment.Status.PENDING, reasons=reasons)


def comment_reject(*, comment: Comment, reason: str = "", reasons: list[dict] | None = None) -> Comment:
    return comment_set_status(
        comment=comment, status=Comment.Status.REJECTED, rejection_reason=reason, reasons=reasons
    )


def article_recount_comments(*, article: Article) -> int:
    """Recompute an article's counter from its comments (for importers and repairs)."""
    count = Comment.objects.filter(article=article).public().count()
    Article.objects.filter(pk=article.pk).update(comment_count=count)
    article.comment_count = count
    return count


def _after_comment_visible(comment: Comment) -> None:
    from byline.comments.notifications import notify_reply_on_commit

    notify_reply_on_commit(comment)


def _after_comment_changed(comment: Comment, *, listings: bool = True) -> None:
    from byline.comments.signals import comment_changed

    transaction.on_commit(lambda: comment_changed.send(sender=Comment, comment=comment, listings=listings))
