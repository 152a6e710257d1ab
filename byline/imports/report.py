"""What an import did, and how far along it is.

`ImportReport` counts created / updated / unchanged / skipped records per kind and keeps the reasons with
where they happened (a post id, a line). `Progress` draws a bar with counts and rate on a terminal and
prints a plain line every few seconds otherwise (logs, cron, CI).
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TextIO

from byline.core.conf import byline_setting

# Reasons listed per kind of problem; the rest are counted ("… and 312 more").
NOTES_SHOWN_PER_REASON = 10


@dataclass
class Note:
    kind: str
    reason: str
    where: str


@dataclass
class ImportReport:
    source: str
    file_name: str
    dry_run: bool = False
    site: str = ""
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    notes: dict[str, list[Note]] = field(default_factory=lambda: defaultdict(list))
    note_counts: Counter = field(default_factory=Counter)

    def add(self, outcome: str, kind: str, count: int = 1) -> None:
        getattr(self, outcome)[kind] += count

    def skip(self, kind: str, reason: str, where: str = "") -> None:
        self.skipped[kind] += 1
        self.note(kind, reason, where)

    def note(self, kind: str, reason: str, where: str = "") -> None:
        """Record something the operator should know (a skip, a repair, a guess), grouped by reason."""
        key = f"{kind}: {reason}"
        self.note_counts[key] += 1
        if len(self.notes[key]) < NOTES_SHOWN_PER_REASON:
            self.notes[key].append(Note(kind, reason, where))

    @property
    def kinds(self) -> list[str]:
        seen = dict.fromkeys([*self.created, *self.updated, *self.unchanged, *self.skipped])
        return list(seen)

    def summary(self) -> dict:
        return {
            "source": self.source,
            "site": self.site,
            "file": self.file_name,
            "dry_run": self.dry_run,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "skipped": dict(self.skipped),
            "notes": {key: count for key, count in self.note_counts.items()},
        }

    def render(self) -> str:
        heading = f"{'Dry run — nothing was written. ' if self.dry_run else ''}Import of {self.file_name}"
        if self.site:
            heading += f" (from {self.site})"
        lines = [heading, ""]
        width = max([len(kind) for kind in self.kinds] + [8])
        lines.append(f"{'':{width}}  {'created':>9} {'updated':>9} {'unchanged':>9} {'skipped':>9}")
        for kind in self.kinds:
            lines.append(
                f"{kind:{width}}  {self.created[kind]:>9,} {self.updated[kind]:>9,} "
                f"{self.unchanged[kind]:>9,} {self.skipped[kind]:>9,}"
            )
        if self.note_counts:
            lines += ["", "Notes (skipped or repaired records, with reasons):"]
            for key, count in self.note_counts.items():
                lines.append(f"- {key} ({count:,})")
                for note in self.notes[key]:
                    if note.where:
                        lines.append(f"    {note.where}")
                if count > len(self.notes[key]) and any(n.where for n in self.notes[key]):
                    lines.append(f"    … and {count - len(self.notes[key]):,} more")
        return "\n".join(lines)


class Progress:
    """Progress of a streaming import, measured in bytes of the file read, with record counts and rate."""

    def __init__(self, *, total_bytes: int, stream: TextIO | None = None, enabled: bool = True):
        self.total = max(total_bytes, 1)
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.is_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.last_drawn = 0.0
        self.interval = 0.2 if self.is_tty else float(byline_setting("BYLINE_IMPORT_PROGRESS_SECONDS"))
        self.counts: Counter = Counter()

    def count(self, kind: str, n: int = 1) -> None:
        self.counts[kind] += n

    def update(self, bytes_done: int, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last_drawn < self.interval:
            return
        self.last_drawn = now
        self.stream.write(self.line(bytes_done, now) if not self.is_tty else "\r" + self.bar(bytes_done, now))
        self.stream.flush()

    def finish(self, bytes_done: int) -> None:
        if not self.enabled:
            return
        self.update(bytes_done, force=True)
        if self.is_tty:
            self.stream.write("\n")
            self.stream.flush()

    def _figures(self, bytes_done: int, now: float) -> tuple[float, str, float]:
        share = min(bytes_done / self.total, 1.0)
        records = sum(self.counts.values())
        rate = records / max(now - self.started, 1e-6)
        counts = " ".join(f"{kind}={n:,}" for kind, n in self.counts.items()) or "starting"
        return share, counts, rate

    def bar(self, bytes_done: int, now: float) -> str:
        share, counts, rate = self._figures(bytes_done, now)
        filled = int(share * 30)
        return f"[{'#' * filled}{'.' * (30 - filled)}] {share:4.0%}  {counts}  {rate:,.0f} records/s"

    def line(self, bytes_done: int, now: float) -> str:
        share, counts, rate = self._figures(bytes_done, now)
        return f"progress {share:.0%} ({now - self.started:.0f} s): {counts}, {rate:,.0f} records/s\n"
