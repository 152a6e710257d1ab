"""Reads for moderation: effective settings, authors' records, and what the pipeline asks about."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, connections
from django.db.models import Count, Field, Q

from byline.comments.models import Comment, body_digest
from byline.comments.policy import CommentDraft
from byline.core.conf import byline_setting
from byline.core.rows import instance_from_row
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
    return _with_fallbacks(SiteModerationSettings.objects.filter(pk=1).values(*_FALLBACK).first() or {})


def _with_fallbacks(saved: dict) -> dict:
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


# A burst is counted up to here (or the burst threshold, if higher). With the default limit of 5 comments a
# minute a reader cannot get near it; without limits, counting a flood row by row would cost more than
# everything else a comment does.
BURST_COUNT_CAP = 100


@dataclass(frozen=True)
class PostingSignals:
    """What the pipeline asks the database about a new comment: the site's settings, the author's
    standing, their recent burst, their record, the article's own mode, and whether the same text was
    posted recently."""

    site: dict  # as effective_settings() says
    standing: AuthorStanding | None
    recent_by_author: int
    burst_capped: bool  # recent_by_author stopped counting at the cap: there may be more
    has_approved: bool
    trusted: bool
    article_mode: str
    duplicate: bool


def posting_signals(*, draft: CommentDraft, now: datetime, since: datetime) -> PostingSignals:
    """`PostingSignals` in one query. Eight separate ones, or one built with the ORM's subqueries, cost
    more CPU than the rest of the pipeline (the ORM spends ~3 ms compiling that query), so this one is
    written out; tests/moderation/test_posting_signals.py holds it to the readable selectors.

    The same rules as `effective_settings`, `author_record`, `comments_by_author_since`, `mode_for_article`
    and `same_text_posted_recently`, except that the counts stop where the decision no longer changes:
    approved comments at one more than `trust_after`, a burst at `BURST_COUNT_CAP` (a flood of thousands
    costs no more to count than a burst of ten).
    """
    author_id = getattr(draft.author, "pk", None)
    duplicate_since = _duplicate_since(draft=draft, now=now)
    burst_cap = max(BURST_COUNT_CAP, byline_setting("BYLINE_MODERATION_BURST_COUNT"))
    params = {
        "author": author_id or 0,
        "since": since,
        "burst_cap": burst_cap,
        "rejected": Comment.Status.REJECTED.value,
        "trust_after": byline_setting(_FALLBACK["trust_after"]),
        "recent": byline_setting("BYLINE_MODERATION_TRUST_RECENT"),
        "article": draft.article.pk,
        "check_duplicate": duplicate_since is not None,
        "body_digest": body_digest(draft.body_source) if duplicate_since is not None else "",
        "duplicate_since": duplicate_since or now,
        "editing": draft.editing.pk if draft.editing is not None else 0,
    }
    # A plain cursor: a raw() queryset spent ~0.2 ms of CPU per post describing and converting 18 columns.
    # The columns are named in the statement (written once per process), so the row is read by position.
    sql, standing_fields = _posting_signals_query(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [params[name] for name in _PARAM_ORDER])
        row = cursor.fetchone()
    split = len(standing_fields)
    standing_values, saved_site = row[:split], row[split : split + len(_FALLBACK)]
    asked = row[split + len(_FALLBACK) :]
    recent_by_author, approved_capped, recent_rejection, article_mode, duplicate = asked
    site = _with_fallbacks(dict(zip(_FALLBACK, saved_site, strict=True)))
    if author_id is None:
        return PostingSignals(site, None, 0, False, False, False, article_mode or "", bool(duplicate))
    approved = int(approved_capped)
    has_standing = standing_values[standing_fields.index(AuthorStanding._meta.pk)] is not None
    standing = _standing_from(standing_fields, standing_values) if has_standing else None
    # Kept on the author as select_related would, so saving the comment need not ask again (shadow ban).
    AuthorStanding.user.field.remote_field.set_cached_value(draft.author, standing)
    return PostingSignals(
        site=site,
        standing=standing,
        recent_by_author=int(recent_by_author),
        burst_capped=int(recent_by_author) >= burst_cap,
        has_approved=approved > 0,
        trusted=approved >= site["trust_after"] and not recent_rejection,
        article_mode=article_mode or "",
        duplicate=bool(duplicate),
    )


def _standing_from(fields: tuple[Field, ...], values) -> AuthorStanding:
    """The standing's columns of the row, as the ORM would load them (SQLite's dates and booleans too)."""
    return instance_from_row(AuthorStanding, fields, values, connection)


# Plain SQL that PostgreSQL and SQLite both read; one row whatever exists (the standing and the site's
# saved settings may not). The burst walks the author's comments of the window newest first and stops at
# the cap. The duplicate check finds the same text by its digest in comment_digest_idx
# rather than comparing the text of every comment of the window. The approved status is written as a literal
# so that the planners can use the partial index comment_author_approved_idx (an author's approved comments).
_POSTING_SIGNALS_SQL = """
SELECT {standing_columns},
  site.mode AS site_mode, site.hold_threshold AS site_hold_threshold,
  site.nudge_threshold AS site_nudge_threshold, site.max_links AS site_max_links,
  site.trust_after AS site_trust_after,
  (SELECT COUNT(*) FROM (
    SELECT 1 FROM {comment} WHERE author_id = %s AND created_at >= %s ORDER BY created_at DESC LIMIT %s
  ) burst) AS recent_by_author,
  (SELECT COUNT(*) FROM (
    SELECT 1 FROM {comment} WHERE author_id = %s AND status = 'approved'
    LIMIT (COALESCE((SELECT trust_after FROM {site} WHERE id = 1), %s) + 1)
  ) capped) AS approved_capped,
  EXISTS(
    SELECT 1 FROM (
      SELECT status FROM {comment} WHERE author_id = %s ORDER BY created_at DESC, id DESC LIMIT %s
    ) latest WHERE latest.status = %s
  ) AS recent_rejection,
  (SELECT mode FROM {article_settings} WHERE article_id = %s) AS article_mode,
  (%s AND EXISTS(
    SELECT 1 FROM {comment}
    WHERE body_digest = %s AND created_at >= %s AND NOT is_removed AND id <> %s
  )) AS duplicate
FROM (SELECT 1 AS one) AS one_row
  LEFT JOIN {standing} standing ON standing.user_id = %s
  LEFT JOIN {site} site ON site.id = 1
"""
_PARAM_ORDER = (
    "author", "since", "burst_cap",
    "author", "trust_after",
    "author", "recent", "rejected",
    "article",
    "check_duplicate", "body_digest", "duplicate_since", "editing",
    "author",
)  # fmt: skip


@functools.cache
def _posting_signals_query(alias: str) -> tuple[str, tuple[Field, ...]]:
    """The statement for the database `alias`, and the standing's fields in the order of its first columns."""
    quote = connections[alias].ops.quote_name
    standing_fields = tuple(AuthorStanding._meta.concrete_fields)
    names = {
        "standing_columns": ", ".join(f"standing.{quote(field.column)}" for field in standing_fields),
        "comment": quote(Comment._meta.db_table),
        "article_settings": quote(ArticleModerationSettings._meta.db_table),
        "standing": quote(AuthorStanding._meta.db_table),
        "site": quote(SiteModerationSettings._meta.db_table),
    }
    return _POSTING_SIGNALS_SQL.format(**names), standing_fields


def _duplicate_since(*, draft: CommentDraft, now: datetime) -> datetime | None:
    """Since when the same text counts as a duplicate, or None when the check is off or the text is too
    short to mean anything ("Agreed." and "Thank you!" are said by many people)."""
    from datetime import timedelta

    minutes = byline_setting("BYLINE_MODERATION_DUPLICATE_MINUTES")
    if minutes <= 0 or len(draft.body_source.strip()) < 20:
        return None
    return now - timedelta(minutes=minutes)


def _recent_same_text(*, draft: CommentDraft, now: datetime):
    # Compares the texts themselves; posting_signals looks the text's digest up in an index instead, and
    # the tests hold the two to the same answers.
    since = _duplicate_since(draft=draft, now=now)
    if since is None:
        return None
    recent = Comment.objects.filter(body_source=draft.body_source, created_at__gte=since, is_removed=False)
    if draft.editing is not None:
        recent = recent.exclude(pk=draft.editing.pk)
    return recent


def resolve_mode(override: str, site_mode: str) -> str:
    """An article's own mode wins over the site's; anything unknown means post-moderation."""
    mode = override or site_mode
    return mode if mode in ModerationMode.values else ModerationMode.POST
