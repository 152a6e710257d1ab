"""Reply notifications by email, sent after commit through Django's email backend.

Each email carries a one-click unsubscribe link (also as `List-Unsubscribe` with `List-Unsubscribe-Post`,
RFC 8058) signed with the reader's id; it works without logging in and expires after a year.
"""

from __future__ import annotations

import logging

from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from byline.comments.models import Comment
from byline.core.conf import byline_setting

logger = logging.getLogger("byline.comments")

UNSUBSCRIBE_SALT = "byline.comments.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 365 * 86400


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_for_unsubscribe_token(token: str):
    """The account a token was made for, or None if it is forged, expired or the email address changed."""
    from byline.accounts.models import User

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("u"), email=data.get("e")).first()


def absolute(path: str) -> str:
    return byline_setting("BYLINE_SITE_URL").rstrip("/") + path


def notify_reply_on_commit(comment: Comment) -> None:
    """Schedule the email telling the answered reader about `comment`, if they want it."""
    answered = comment.in_reply_to
    if answered is None or answered.author_id is None or answered.author_id == comment.author_id:
        return
    comment_id = comment.pk
    transaction.on_commit(lambda: send_reply_notification(comment_id=comment_id))


def send_reply_notification(*, comment_id: int) -> bool:
    """Send the email for reply `comment_id`. Failures are logged: a lost email must not break posting."""
    comment = (
        Comment.objects.select_related("author", "article__section", "in_reply_to__author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or not comment.is_public or comment.in_reply_to is None:
        return False
    recipient = comment.in_reply_to.author
    if (
        recipient is None
        or not recipient.notify_replies
        or not recipient.is_active
        or not recipient.is_verified
    ):
        return False
    token = unsubscribe_token(recipient)
    unsubscribe_url = absolute(reverse("comments:unsubscribe", kwargs={"token": token}))
    context = {
        "recipient": recipient,
        "comment": comment,
        "article": comment.article,
        "comment_url": absolute(comment.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
        "site_name": byline_setting("BYLINE_SITE_NAME"),
    }
    message = EmailMessage(
        subject=f"{comment.author_name} replied to your comment on “{comment.article.headline}”",
        body=render_to_string("comments/email/reply.txt", context),
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    try:
        message.send()
    except Exception:  # SMTP down, DNS, refused: log it, the reply itself is already posted
        logger.exception("Could not send the reply notification for comment %s", comment_id)
        return False
    return True
