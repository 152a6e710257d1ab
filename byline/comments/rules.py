"""Questions the posting rules ask: is this thread open, may this reader still edit, where does a reply go."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from byline.comments.models import Comment
from byline.core.conf import byline_setting
from byline.newsroom.models import Article


def comments_closed(article: Article) -> bool:
    """Closed by the editor's switch, or automatically N days after publication (0 = never)."""
    if not article.comments_open or not article.is_live:
        return True
    deadline = closes_at(article)
    return deadline is not None and deadline <= timezone.now()


def closes_at(article: Article):
    days = byline_setting("BYLINE_COMMENTS_CLOSE_AFTER_DAYS")
    if not days or not article.published_at:
        return None
    return article.published_at + timedelta(days=days)


def edit_deadline(comment: Comment):
    return comment.created_at + timedelta(minutes=byline_setting("BYLINE_COMMENT_EDIT_MINUTES"))


def may_edit(comment: Comment, user) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and comment.author_id == user.pk
        and not comment.is_removed
        and comment.status != Comment.Status.REJECTED
        and timezone.now() < edit_deadline(comment)
    )


def reply_placement(parent: Comment) -> tuple[Comment, int]:
    """The comment a reply to `parent` hangs under, and its depth: past the maximum depth, replies attach
    to the deepest allowed level (as siblings of `parent`)."""
    max_depth = max(1, byline_setting("BYLINE_COMMENT_MAX_DEPTH"))
    if parent.depth + 1 <= max_depth or parent.parent_id is None:
        return parent, parent.depth + 1
    # parent.depth >= max_depth >= 1 here: it has a parent of its own, at the deepest level but one.
    return parent.parent, parent.depth
