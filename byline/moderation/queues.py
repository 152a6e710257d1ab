"""Reads for the moderation area: the queues, one item's context, an author's history, the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast

from byline.comments.models import Comment, CommentReport
from byline.moderation.models import Appeal, AuthorStanding, ModerationEvent
from byline.moderation.selectors import AuthorRecord, author_record, effective_setting

QUEUES = {
    "pending": "Pending",
    "reported": "Reported",
    "unmoderated": "Unmoderated",
    "approved": "Approved",
    "rejected": "Rejected",
}


def queue(
    name: str,
    *,
    article_id: int | None = None,
    author_id: int | None = None,
    reason: str = "",
    search: str = "",
) -> QuerySet[Comment]:
    """One queue of comments, filtered. Unknown names fall back to Pending."""
    human = ModerationEvent.objects.filter(comment=OuterRef("pk"), actor__isnull=False)
    open_reports = CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True)
    comments = (
        Comment.objects.filter(is_removed=False)
        .select_related("article__section", "author")
        .annotate(
            open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True), distinct=True),
            has_appeal=Exists(Appeal.objects.filter(comment=OuterRef("pk"), status=Appeal.Status.OPEN)),
            decided_by_human=Exists(human),
        )
    )
    if name == "reported":
        suspect = Q(toxicity_score__gte=effective_setting("nudge_threshold")) & ~Exists(human)
        comments = comments.filter(status=Comment.Status.APPROVED).filter(Exists(open_reports) | suspect)
    elif name == "unmoderated":
        comments = comments.filter(status=Comment.Status.APPROVED).exclude(Exists(human))
    elif name in ("approved", "rejected"):
        comments = comments.filter(status=name)
    else:
        comments = comments.filter(status=Comment.Status.PENDING)
    if article_id:
        comments = comments.filter(article_id=article_id)
    if author_id:
        comments = comments.filter(author_id=author_id)
    if reason:
        comments = comments.annotate(reasons_text=Cast("moderation_reasons", TextField())).filter(
            reasons_text__icontains=f'"{reason}"'
        )
    if search:
        comments = comments.filter(
            Q(body_source__icontains=search)
            | Q(author__display_name__icontains=search)
            | Q(article__headline__icontains=search)
        )
    order = "created_at" if name == "pending" else "-created_at"
    return (
        comments.order_by("-has_appeal", order, "id")
        if name == "pending"
        else comments.order_by(order, "-id")
    )


def queue_counts() -> dict[str, int]:
    return {
        "pending": Comment.objects.filter(is_removed=False, status=Comment.Status.PENDING).count(),
        "reported": queue("reported").count(),
    }


def author_summaries(author_ids: set[int]) -> dict[int, dict]:
    """Approved / rejected counts and the number of past moderator decisions for each author of a page of the
    queue: two queries, however many items."""
    ids = {i for i in author_ids if i}
    summaries: dict[int, dict] = {i: {"approved": 0, "rejected": 0, "decisions": 0} for i in ids}
    rows = (
        Comment.objects.filter(author_id__in=ids)
        .values("author_id")
        .annotate(
            approved=Count("id", filter=Q(status=Comment.Status.APPROVED)),
            rejected=Count("id", filter=Q(status=Comment.Status.REJECTED)),
        )
    )
    for row in rows:
        summaries[row["author_id"]].update(approved=row["approved"], rejected=row["rejected"])
    decisions = (
        ModerationEvent.objects.filter(author_id__in=ids, actor__isnull=False)
        .values("author_id")
        .annotate(n=Count("id"))
    )
    for row in decisions:
        summaries[row["author_id"]]["decisions"] = row["n"]
    return summaries


REASON_CODES = [
    ("banned_words", "Banned words"),
    ("suspect_words", "Suspect words"),
    ("toxicity", "Toxicity"),
    ("nudge", "Posted after the nudge"),
    ("links", "Links"),
    ("honeypot", "Honeypot"),
    ("duplicate", "Duplicate text"),
    ("burst", "Burst"),
    ("new_account", "New account"),
    ("standing", "Author pre-moderated"),
    ("mode", "Pre-moderation"),
]


@dataclass
class AuthorHistory:
    record: AuthorRecord | None
    standing: AuthorStanding | None
    events: list[ModerationEvent]
    recent_comments: list[Comment]


def author_history(author) -> AuthorHistory:
    if author is None:
        return AuthorHistory(None, None, [], [])
    return AuthorHistory(
        record=author_record(author=author),
        standing=AuthorStanding.objects.filter(user=author).first(),
        events=list(ModerationEvent.objects.filter(author=author).select_related("actor")[:20]),
        recent_comments=list(
            Comment.objects.filter(author=author)
            .select_related("article__section")
            .order_by("-created_at")[:10]
        ),
    )


def comment_events(comment: Comment) -> list[ModerationEvent]:
    return list(
        ModerationEvent.objects.filter(Q(comment=comment) | Q(comment_ref=comment.pk))
        .select_related("actor", "reverted_by")
        .distinct()
    )


def comment_reports(comment: Comment) -> list[CommentReport]:
    return list(CommentReport.objects.filter(comment=comment).select_related("reporter"))
