"""Writing imported comments in bulk, threaded, with exact counts.

Both importers hand `CommentWriter` one `CommentRecord` per comment of the export. The writer:

- recognises comments imported before (same source, site and id): unchanged ones are left alone, changed
  ones are updated (their state through `byline.comments.services.comment_set_status`, so counts stay
  exact);
- places new comments under their parents, level by level, with the same depth rule as a reply posted
  on the site (`byline.comments.rules.reply_placement`): past the maximum depth a reply hangs at the
  deepest level and still records whom it answers;
- inserts them in bulk (`byline.imports.bulk`), and at the end recounts `Article.comment_count` of every
  article it touched (by `Comment.objects.public()`, the comments app's definition), in the same transaction.

A comment whose parent is not in the export becomes a top-level comment, and the report says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Count

from byline.comments.models import Comment, body_digest
from byline.comments.services import comment_set_status
from byline.core.conf import byline_setting
from byline.core.ip import ip_fingerprint
from byline.core.text import strip_control_chars
from byline.imports.bulk import FastInsert
from byline.imports.html import comment_html
from byline.imports.identities import IdentityMap, Kind, fingerprint
from byline.imports.report import ImportReport, Progress
from byline.newsroom.models import Article

GUEST_NAME_MAX = Comment._meta.get_field("guest_name").max_length


@dataclass
class CommentRecord:
    external_id: str
    parent_external_id: str
    article_id: int
    author_name: str
    author_email: str
    ip_address: str
    created_at: datetime
    body: str
    status: str
    is_removed: bool = False
    reasons: list[dict] = field(default_factory=list)
    rejection_reason: str = ""
    where: str = ""
    # The record as read from the file (before any repair such as dropping a missing parent).
    print_: str = ""

    def fingerprint(self) -> str:
        return fingerprint(
            self.parent_external_id,
            self.article_id,
            self.author_name,
            self.author_email,
            self.ip_address,
            self.created_at,
            self.body,
            self.status,
            self.is_removed,
        )


@dataclass(frozen=True)
class Placed:
    pk: int
    depth: int
    thread_root_id: int | None
    parent_id: int | None
    article_id: int


class CommentWriter:
    def __init__(self, *, identities: IdentityMap, report: ImportReport, progress: Progress | None = None):
        self.identities = identities
        self.report = report
        self.progress = progress
        self.pending: list[CommentRecord] = []
        self.max_depth = max(1, byline_setting("BYLINE_COMMENT_MAX_DEPTH"))
        self.max_chars = byline_setting("BYLINE_IMPORT_MAX_COMMENT_CHARS")
        self.batch_size = max(1, byline_setting("BYLINE_IMPORT_BATCH_SIZE"))
        self.inserter = FastInsert(Comment)
        self.touched: set[int] = set()

    def add(self, record: CommentRecord) -> None:
        if len(record.body) > self.max_chars:
            self.report.skip(
                "comment",
                f"longer than {self.max_chars:,} characters (BYLINE_IMPORT_MAX_COMMENT_CHARS)",
                f"{record.where}: {len(record.body):,} characters",
            )
            return
        record.print_ = record.fingerprint()
        self.pending.append(record)
        if len(self.pending) >= self.batch_size:
            self.flush(final=False)

    def flush(self, *, final: bool) -> None:
        """Write what is buffered. Not final: replies whose parent has not been seen yet wait for later."""
        records, self.pending = self.pending, []
        if not records:
            return
        known = self.identities.get_many(Kind.COMMENT, [r.external_id for r in records])
        new = []
        for record in records:
            if record.external_id in known:
                self._refresh(record, known[record.external_id])
            else:
                new.append(record)
        self.pending = self._insert(new, final=final)

    def finish(self) -> None:
        """Write what is left, then make the comment counts of every article touched exact, in the import's
        transaction: counted with the comments app's own definition (`Comment.objects.public()`, as its
        `article_recount_comments` does), in one query, and written in a few bulk updates."""
        self.flush(final=True)
        touched = list(self.touched)
        for start in range(0, len(touched), 500):
            ids = touched[start : start + 500]
            counts = dict(
                Comment.objects.public()
                .filter(article_id__in=ids)
                .values_list("article_id")
                .annotate(n=Count("id"))
                .order_by()
            )
            changed = []
            for article in Article.objects.filter(pk__in=ids).only("pk", "comment_count"):
                if article.comment_count != counts.get(article.pk, 0):
                    article.comment_count = counts.get(article.pk, 0)
                    changed.append(article)
            Article.objects.bulk_update(changed, ["comment_count"], batch_size=500)

    # Existing comments -------------------------------------------------------------------------------

    def _refresh(self, record: CommentRecord, known) -> None:
        print_ = record.print_
        if known.fingerprint == print_:
            self.report.add("unchanged", "comment")
            return
        comment = Comment.objects.filter(pk=known.object_id).first()
        if comment is None:
            self.report.skip(
                "comment", "imported before, since deleted in Byline; not recreated", record.where
            )
            return
        Comment.objects.filter(pk=comment.pk).update(
            body_source=strip_control_chars(record.body),
            body_html=comment_html(record.body),
            guest_name=_guest_name(record.author_name) if comment.author_id is None else comment.guest_name,
        )
        if comment.status != record.status or comment.is_removed != record.is_removed:
            if comment.is_removed != record.is_removed:
                # Trashed or restored at the source. (The comments app's own removal erases the text; an
                # import keeps it, so a moderator can still read what was trashed.) Counted in `finish`.
                Comment.objects.filter(pk=comment.pk).update(is_removed=record.is_removed)
                comment.is_removed = record.is_removed
                self.touched.add(comment.article_id)
            comment_set_status(
                comment=comment,
                status=record.status,
                rejection_reason=record.rejection_reason,
                reasons=record.reasons,
            )
        self.identities.set_fingerprint(Kind.COMMENT, record.external_id, print_)
        self.report.add("updated", "comment")

    # New comments ------------------------------------------------------------------------------------

    def _insert(self, records: list[CommentRecord], *, final: bool) -> list[CommentRecord]:
        placed: dict[str, Placed] = self._existing_parents(records)
        waiting = records
        while waiting:
            ready, still = [], []
            for record in waiting:
                parent_id = record.parent_external_id
                (ready if not parent_id or parent_id in placed else still).append(record)
            if not ready:
                break
            self._create(ready, placed)
            waiting = still
        if not waiting:
            return []
        if not final:
            return waiting
        # What is left has a parent missing from the export (or a loop of parents): top-level comments.
        for record in waiting:
            self.report.note(
                "comment",
                "parent missing from the export; imported as a top-level comment",
                f"{record.where} (parent {record.parent_external_id})",
            )
            record.parent_external_id = ""
        self._create(waiting, placed)
        return []

    def _existing_parents(self, records: list[CommentRecord]) -> dict[str, Placed]:
        own = {r.external_id for r in records}
        wanted = {
            r.parent_external_id for r in records if r.parent_external_id and r.parent_external_id not in own
        }
        if not wanted:
            return {}
        known = self.identities.get_many(Kind.COMMENT, wanted)
        by_pk = {k.object_id: external_id for external_id, k in known.items()}
        rows = Comment.objects.filter(pk__in=list(by_pk)).values_list(
            "pk", "depth", "thread_root_id", "parent_id", "article_id"
        )
        return {by_pk[row[0]]: Placed(*row) for row in rows}

    def _create(self, records: list[CommentRecord], placed: dict[str, Placed]) -> None:
        rows, visible = [], Counter()
        for record in records:
            parent = placed.get(record.parent_external_id) if record.parent_external_id else None
            if parent is not None and parent.article_id != record.article_id:
                self.report.note(
                    "comment",
                    "parent belongs to another article; imported as a top-level comment",
                    record.where,
                )
                parent = None
            row = self._row(record, parent)
            rows.append(row)
            if row["status"] == Comment.Status.APPROVED and not row["is_removed"]:
                visible[record.article_id] += 1
        ids = self.inserter.insert(rows)
        identities = []
        for record, row, pk in zip(records, rows, ids, strict=True):
            placed[record.external_id] = Placed(
                pk, row["depth"], row["thread_root_id"], row["parent_id"], record.article_id
            )
            identities.append((record.external_id, pk, record.print_))
        self.identities.remember_many(Kind.COMMENT, identities)
        self.touched.update(visible)
        self.report.add("created", "comment", len(rows))
        if self.progress:
            self.progress.count("comments", len(rows))

    def _row(self, record: CommentRecord, parent: Placed | None) -> dict:
        """A new comment's fields, placed under `parent` by the site's depth rule."""
        parent_id = thread_root_id = in_reply_to_id = None
        depth = 0
        if parent is not None:
            in_reply_to_id = parent.pk
            thread_root_id = parent.thread_root_id or parent.pk
            if parent.depth + 1 <= self.max_depth or parent.parent_id is None:
                parent_id, depth = parent.pk, parent.depth + 1
            else:
                parent_id, depth = parent.parent_id, parent.depth
        body = strip_control_chars(record.body)
        return {
            "article_id": record.article_id,
            "guest_name": _guest_name(record.author_name),
            "guest_email": _guest_email(record, self.report),
            "parent_id": parent_id,
            "thread_root_id": thread_root_id,
            "in_reply_to_id": in_reply_to_id,
            "depth": depth,
            "body_source": body,
            # FastInsert writes rows without Comment.save(): the duplicate check needs the digest too.
            "body_digest": body_digest(body),
            "body_html": comment_html(record.body),
            "status": str(record.status),
            "is_removed": record.is_removed,
            "moderation_reasons": record.reasons,
            "rejection_reason": record.rejection_reason,
            "created_at": record.created_at,
            "ip_hash": _hash_ip(record.ip_address),
        }


@lru_cache(maxsize=64)
def import_reason(verdict: str, text: str) -> list[dict]:
    """The moderation reason stored on an imported comment. One shared list per reason: never mutate it."""
    return [{"check": "import", "verdict": verdict, "reason": text, "score": None}]


@lru_cache(maxsize=65536)
def _hash_ip(address: str) -> str:
    """The comments app's keyed hash of the anonymised address; readers repeat, so remember recent ones."""
    return ip_fingerprint(address.strip())


def _guest_name(name: str) -> str:
    name = " ".join(strip_control_chars(name or "").split())
    return name[:GUEST_NAME_MAX] or "Anonymous"


def _guest_email(record: CommentRecord, report: ImportReport) -> str:
    email = (record.author_email or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        report.note(
            "comment", "author email is not a valid address; kept the comment without it", record.where
        )
        return ""
    return email
