"""Reads for moderation: effective settings, authors' records, and what the pipeline asks about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

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
    mode = override or site_mode or effective_setting("mode")
    return mode if mode in ModerationMode.values else ModerationMode.POST


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
    from datetime import timedelta

    minutes = byline_setting("BYLINE_MODERATION_DUPLICATE_MINUTES")
    if minutes <= 0 or len(draft.body_source.strip()) < 20:
        return False  # "Agreed." and "Thank you!" are said by many people
    recent = Comment.objects.filter(
        body_source=draft.body_source, created_at__gte=now - timedelta(minutes=minutes), is_removed=False
    )
    if draft.editing is not None:
        recent = recent.exclude(pk=draft.editing.pk)
    return recent.exists()


def comments_by_author_since(*, author, since: datetime) -> int:
    return Comment.objects.filter(author=author, created_at__gte=since).count()
