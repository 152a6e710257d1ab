"""What both importers share: one transaction, dry runs, progress, the run record, field helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.db import transaction
from django.db.models import signals as model_signals
from django.utils import timezone
from django.utils.text import slugify

from byline.imports.commentwriter import CommentWriter
from byline.imports.identities import IdentityMap
from byline.imports.models import ImportRun
from byline.imports.report import ImportReport, Progress
from byline.imports.xmlstream import SafeXMLStream


class _RollBack(Exception):
    """Raised inside the import's transaction to undo a dry run."""


class Importer:
    """Runs `read(stream)` inside one transaction: a failure anywhere leaves the database as it was."""

    source = ""

    def __init__(
        self,
        *,
        path: str | Path,
        dry_run: bool = False,
        progress_stream: TextIO | None = None,
        show_progress: bool = True,
    ):
        self.stream = SafeXMLStream(path)
        self.report = ImportReport(source=self.source, file_name=self.stream.display_name, dry_run=dry_run)
        self.progress = Progress(total_bytes=self.stream.size, stream=progress_stream, enabled=show_progress)
        self.dry_run = dry_run
        self._identities: IdentityMap | None = None

    @property
    def identities(self) -> IdentityMap:
        if self._identities is None:
            self._identities = IdentityMap(source=self.source, site=self.report.site)
        return self._identities

    @cached_property
    def comments(self) -> CommentWriter:
        """Made on first use, so a file that never reaches a comment never loads the comment machinery."""
        return CommentWriter(identities=self.identities, report=self.report, progress=self.progress)

    def run(self) -> ImportReport:
        started = timezone.now()
        try:
            with page_cache_receivers_paused(), transaction.atomic():
                self.read()
                self.progress.finish(self.stream.bytes_read)
                if self.dry_run:
                    raise _RollBack
                _invalidate_pages_on_commit()
                ImportRun.objects.create(
                    source=self.source,
                    site=self.report.site[:300],
                    file_name=self.stream.display_name[:300],
                    started_at=started,
                    summary=self.report.summary(),
                )
        except _RollBack:
            pass
        return self.report

    def read(self) -> None:
        raise NotImplementedError

    def tick(self) -> None:
        self.progress.update(self.stream.bytes_read)


# The page cache's per-save receivers (byline/web/invalidation.py, `connect()`), by sender and dispatch_uid.
# During an import they would bump page versions and queue an after-commit purge for every article, byline,
# tag link and journalist written, thousands of times over; one site-wide bump after commit
# (`_invalidate_pages_on_commit`) has the same effect. Names that no longer exist are simply not found.
_PAGE_CACHE_RECEIVERS = [
    ("pre_save", "newsroom.Article", "byline-page-cache-article-pre"),
    ("post_save", "newsroom.Article", "byline-page-cache-article-save"),
    ("post_save", "newsroom.Byline", "byline-page-cache-byline-save"),
    ("post_delete", "newsroom.Byline", "byline-page-cache-byline-delete"),
    ("pre_save", "journalists.Journalist", "byline-page-cache-journalist-pre"),
    ("post_save", "journalists.Journalist", "byline-page-cache-journalist-save"),
    ("post_save", "newsroom.Section", "byline-page-cache-newsroom.Section-save"),
    ("post_save", "newsroom.Tag", "byline-page-cache-newsroom.Tag-save"),
    ("m2m_changed", "newsroom.Article.tags", "byline-page-cache-article-tags"),
]


@contextmanager
def page_cache_receivers_paused() -> Iterator[None]:
    """Disconnect the page cache's per-save receivers while an import runs; `invalidation.connect()` (which
    is idempotent, by dispatch_uid) puts them back, whatever happens."""
    try:
        from byline.web import invalidation
    except ImportError:  # pragma: no cover - a site without the page cache
        yield
        return
    for signal_name, sender, uid in _PAGE_CACHE_RECEIVERS:
        if sender == "newsroom.Article.tags":
            sender = apps.get_model("newsroom", "Article").tags.through
        getattr(model_signals, signal_name).disconnect(sender=sender, dispatch_uid=uid)
    try:
        yield
    finally:
        invalidation.connect()


def _invalidate_pages_on_commit() -> None:
    """Comments are inserted in bulk, past the signals that keep the page cache exact: after an import,
    make every cached page stale once (one site-wide bump, rather than one per record)."""
    try:
        from byline.web.caching import SITE_WIDE, invalidate_on_commit
    except ImportError:  # pragma: no cover - a site without the page cache
        return
    invalidate_on_commit([SITE_WIDE])


def parse_datetime_utc(value: str) -> datetime | None:
    """`2019-05-09 16:46:57` (UTC) or ISO 8601 with a zone → aware datetime; zero or empty dates → None."""
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def parse_datetime_local(value: str) -> datetime | None:
    """A WordPress local time (`post_date`), read in the site's TIME_ZONE."""
    moment = parse_datetime_utc(value)
    if moment is None:
        return None
    return timezone.make_aware(moment.replace(tzinfo=None), timezone.get_default_timezone())


def unique_slug(base: str, taken, *, max_length: int, fallback: str) -> str:
    """A slug from `base` (percent-decoded, ASCII) that `taken(slug)` says is free: `x`, `x-2`, `x-3`…"""
    slug = slugify(unquote(base or ""))[:max_length].strip("-") or fallback
    candidate, n = slug, 2
    while taken(candidate):
        suffix = f"-{n}"
        candidate = f"{slug[: max_length - len(suffix)]}{suffix}"
        n += 1
    return candidate


def path_of(url: str) -> str:
    """The path (and query) of an old address, percent-decoded as Django's `request.path` is."""
    parts = urlsplit((url or "").strip())
    if not parts.path and not parts.query:
        return ""
    path = unquote(parts.path or "/")
    if not path.startswith("/"):
        return ""
    return f"{path}?{parts.query}" if parts.query else path


_WS = re.compile(r"\s+")


def one_line(text: str, limit: int) -> str:
    return _WS.sub(" ", text or "").strip()[:limit]
