"""Reply notifications by email, sent after commit. Filled in below."""

from byline.comments.models import Comment


def notify_reply_on_commit(comment: Comment) -> None:
    return None
