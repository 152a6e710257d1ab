"""Comparing two revisions of an article, field by field, with difflib (for the admin's diff view)."""

import difflib
from dataclasses import dataclass

from byline.newsroom.models import ArticleRevision

# (snapshot key, label) in the order an editor reads an article.
DIFF_FIELDS = (
    ("headline", "Headline"),
    ("standfirst", "Standfirst"),
    ("section", "Section"),
    ("slug", "Slug"),
    ("journalists", "Journalists"),
    ("tags", "Tags"),
    ("body_source", "Body"),
    ("hero_alt", "Hero image alt text"),
    ("hero_caption", "Hero caption"),
    ("hero_credit", "Hero credit"),
    ("comments_open", "Comments open"),
    ("status", "Status"),
    ("published_at", "Published at"),
)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    label: str
    lines: list[DiffLine]


def revision_diff(older: ArticleRevision, newer: ArticleRevision) -> list[FieldDiff]:
    """The fields that differ between two revisions, each as lines kept, added and removed."""
    changes = []
    for key, label in DIFF_FIELDS:
        before = _text(older.snapshot.get(key))
        after = _text(newer.snapshot.get(key))
        if before == after:
            continue
        lines = []
        for line in difflib.ndiff(before.splitlines() or [""], after.splitlines() or [""]):
            marker, text = line[:2], line[2:]
            if marker == "? ":
                continue  # ndiff's intraline hints; the lines themselves say enough
            kind = {"+ ": "added", "- ": "removed"}.get(marker, "same")
            lines.append(DiffLine(kind, text))
        changes.append(FieldDiff(label, lines))
    return changes


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
