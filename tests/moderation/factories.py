"""Moderation test helpers: comments held or rejected the way the pipeline leaves them."""

from byline.comments.models import Comment
from byline.moderation.models import ModerationEvent
from tests.comments.factories import CommentFactory


def held_comment(**kwargs) -> Comment:
    kwargs.setdefault("status", Comment.Status.PENDING)
    kwargs.setdefault(
        "moderation_reasons",
        [{"check": "suspect_words", "verdict": "hold", "reason": "profanity: shithole", "score": None}],
    )
    kwargs.setdefault("toxicity_score", 0.9)
    comment = CommentFactory(**kwargs)
    ModerationEvent.objects.create(
        comment=comment,
        comment_ref=comment.pk,
        author=comment.author,
        action="policy",
        status_after=comment.status,
    )
    return comment
