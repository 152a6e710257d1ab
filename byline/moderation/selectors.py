"""Reads for moderation: effective settings, authors' records, and what the pipeline asks about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from byline.comments.models import Comment
from byline.comments.policy import CommentDraft
from byline.core.conf import byline_setting
from byline.moderation.models import (
    ArticleModerationSettings,
    AuthorStanding,
    ModerationMode,
    SiteModerationSettings,
)

_FALLBACK = {
    "mode": "BYLINE_MODERATION_MODE",
    "hold_threshold": "BYLINE_TOXICITY_HOLD_THRESHOLD",
    "nudge_threshold": "BYLINE_TOXICITY_NUDGE_THRESHOLD",
    "max_links": "BYLINE_MODERATION_MAX_LINKS",
    "trust_after": "BYLINE_MODERATION_TRUST_APPROVED",
}


def site_settings() -> SiteModerationSettings:
    row, _ = SiteModerationSettings.objects.get_or_create(pk=1)
    return row


def effective_settings() -> dict:
    """Every site-wide value in one query: the saved one, or the BYLINE_* default when none is saved."""
    saved = SiteModerationSettings.objects.filter(pk=1).values(*_FALLBACK).first() or {}
    return {
        name: saved[name] if saved.get(name) not in (None, "") else byline_setting(setting)
        for name, setting in _FALLBACK.items()
    }


def effective_setting(name: str):
    return effective_settings()[name]


def mode_for_article(article, *, site_mode: str | None = None) -> str:
    override = (
        ArticleModerationSettings.objects.filter(article=article).values_list("mode", flat=True).first()
    )
    return resolve_mode(override or site_mode or effective_setting("mode"), "")


def standing_of(user) -> AuthorStanding | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return AuthorStanding.objects.filter(user=user).first()


@dataclass(frozen=True)
class AuthorRecord:
    approved: int
    rejected: int
    pending: int
    recent_rejections: int
    trusted: bool


def author_record(*, author, trust_after: int | None = None) -> AuthorRecord:
    """Counts of an author's comments and whether they have earned trust (N approved, no rejection in
    their last M comments)."""
    counts = Comment.objects.filter(author=author).aggregate(
        approved=Count("id", filter=Q(status=Comment.Status.APPROVED)),
        rejected=Count("id", filter=Q(status=Comment.Status.REJECTED)),
        pending=Count("id", filter=Q(status=Comment.Status.PENDING)),
    )
    recent_ids = (
        Comment.objects.filter(author=author)
        .order_by("-created_at", "-id")
        .values_list("status", flat=True)[: byline_setting("BYLINE_MODERATION_TRUST_RECENT")]
    )
    recent_rejections = sum(1 for status in recent_ids if status == Comment.Status.REJECTED)
    needed = trust_after if trust_after is not None else effective_setting("trust_after")
    trusted = counts["approved"] >= needed and recent_rejections == 0
    return AuthorRecord(
        approved=counts["approved"],
        rejected=counts["rejected"],
        pending=counts["pending"],
        recent_rejections=recent_rejections,
        trusted=trusted,
    )


def same_text_posted_recently(*, draft: CommentDraft, now: datetime) -> bool:
    recent = _recent_same_text(draft=draft, now=now)
    return recent is not None and recent.exists()


def comments_by_author_since(*, author, since: datetime) -> int:
    return Comment.objects.filter(author=author, created_at__gte=since).count()


@dataclass(frozen=True)
class PostingSignals:
    """What the pipeline asks the database about a new comment: the author's standing, their recent
    burst, their record, the article's own mode, and whether the same text was posted recently."""

    standing: AuthorStanding | None
    recent_by_author: int
    has_approved: bool
    trusted: bool
    article_mode: str
    duplicate: bool


def posting_signals(
    *, draft: CommentDraft, now: datetime, since: datetime, trust_after: int
) -> PostingSignals:
    """`PostingSignals` in one query (seven separate ones cost more than the rest of the pipeline).

    The same rules as `author_record`, `comments_by_author_since`, `mode_for_article` and
    `same_text_posted_recently`, with the counts a decision does not need capped: trust needs only to know
    that `trust_after` approved comments exist, not how many there are.
    """
    author = draft.author
    override = ArticleModerationSettings.objects.filter(article=draft.article)
    duplicate = _recent_same_text(draft=draft, now=now)
    if author is None or not getattr(author, "pk", None):
        mode = override.values_list("mode", flat=True).first() or ""
        return PostingSignals(None, 0, False, False, mode, duplicate is not None and duplicate.exists())
    theirs = Comment.objects.filter(author=OuterRef("pk")).order_by()
    approved = theirs.filter(status=Comment.Status.APPROVED).values("pk")
    latest = (
        Comment.objects.filter(author=OuterRef(OuterRef("pk")))
        .order_by("-created_at", "-id")
        .values("pk")[: byline_setting("BYLINE_MODERATION_TRUST_RECENT")]
    )
    burst = theirs.filter(created_at__gte=since).values("author").annotate(n=Count("pk")).values("n")
    enough = Exists(approved[trust_after - 1 : trust_after]) if trust_after > 0 else Value(True)
    user = (
        get_user_model()
        .objects.filter(pk=author.pk)
        .select_related("standing")
        .annotate(
            recent_by_author=Coalesce(Subquery(burst, output_field=IntegerField()), Value(0)),
            has_approved=Exists(approved[:1]),
            enough_approved=enough,
            recent_rejection=Exists(
                Comment.objects.filter(pk__in=Subquery(latest), status=Comment.Status.REJECTED)
            ),
            article_mode=Subquery(override.values("mode")[:1]),
            duplicate=Exists(duplicate) if duplicate is not None else Value(False),
        )
        .first()
    )
    if user is None:  # the account was deleted while posting: nothing to trust
        return PostingSignals(None, 0, False, False, "", False)
    return PostingSignals(
        standing=_standing_of_loaded(user),
        recent_by_author=user.recent_by_author,
        has_approved=user.has_approved,
        trusted=bool(user.enough_approved) and not user.recent_rejection,
        article_mode=user.article_mode or "",
        duplicate=bool(user.duplicate),
    )


def _standing_of_loaded(user) -> AuthorStanding | None:
    try:
        return user.standing  # select_related filled it in, or knows there is none
    except AuthorStanding.DoesNotExist:
        return None


def _recent_same_text(*, draft: CommentDraft, now: datetime):
    """Comments with the same text within BYLINE_MODERATION_DUPLICATE_MINUTES, or None when the check is
    off or the text is too short to mean anything ("Agreed." and "Thank you!" are said by many people)."""
    from datetime import timedelta

    minutes = byline_setting("BYLINE_MODERATION_DUPLICATE_MINUTES")
    if minutes <= 0 or len(draft.body_source.strip()) < 20:
        return None
    recent = Comment.objects.filter(
        body_source=draft.body_source, created_at__gte=now - timedelta(minutes=minutes), is_removed=False
    )
    if draft.editing is not None:
        recent = recent.exclude(pk=draft.editing.pk)
    return recent.values("pk")


def resolve_mode(override: str, site_mode: str) -> str:
    """An article's own mode wins over the site's; anything unknown means post-moderation."""
    mode = override or site_mode
    return mode if mode in ModerationMode.values else ModerationMode.POST
