"""Emails: to an author when a held comment is decided, and the digest of pending comments to moderators.

Sent after commit through Django's email backend; a failure is logged, never raised into a moderator's
request (the decision stands either way).
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from byline.comments.models import Comment
from byline.core.conf import byline_setting

logger = logging.getLogger("byline.moderation")


def send_decision_email_on_commit(*, comment: Comment, approved: bool, reason: str) -> None:
    author = comment.author
    if author is None or not author.email:
        return
    context = {
        "name": author.public_name,
        "approved": approved,
        "reason": reason,
        "article": comment.article,
        "site_name": byline_setting("BYLINE_SITE_NAME"),
        "url": byline_setting("BYLINE_SITE_URL").rstrip("/") + comment.get_absolute_url(),
        "appeal_url": byline_setting("BYLINE_SITE_URL").rstrip("/")
        + reverse("moderation:appeal", args=[comment.pk]),
    }
    subject = "Your comment is published" if approved else "Your comment was not published"
    body = render_to_string("moderation/email/decision.txt", context)

    def send() -> None:
        try:
            send_mail(subject, body, None, [author.email])
        except Exception:  # noqa: BLE001 - email trouble must not undo or break a decision
            logger.exception("Could not email the author of comment %s.", comment.pk)

    transaction.on_commit(send)


def moderators():
    User = get_user_model()
    group = byline_setting("BYLINE_MODERATION_GROUP")
    return User.objects.filter(is_active=True).filter(models_q_group(group)).exclude(email="").distinct()


def models_q_group(group: str):
    from django.db.models import Q

    return Q(groups__name=group) | Q(is_superuser=True)


def send_digest(*, force: bool = False) -> int:
    """Email moderators the comments held since the last digest. Returns the number of emails sent.

    Respects BYLINE_MODERATION_DIGEST_HOURS unless `force`; sends nothing when nothing new is pending.
    """
    from datetime import timedelta

    from byline.moderation.selectors import site_settings

    row = site_settings()
    now = timezone.now()
    interval = timedelta(hours=byline_setting("BYLINE_MODERATION_DIGEST_HOURS"))
    if not force and row.last_digest_at and now - row.last_digest_at < interval:
        return 0
    pending = Comment.objects.filter(status=Comment.Status.PENDING, is_removed=False)
    new = pending.filter(created_at__gt=row.last_digest_at) if row.last_digest_at else pending
    new = list(new.select_related("article", "author").order_by("created_at")[:50])
    if not new:
        return 0
    body = render_to_string(
        "moderation/email/digest.txt",
        {
            "comments": new,
            "total": pending.count(),
            "site_name": byline_setting("BYLINE_SITE_NAME"),
            "queue_url": byline_setting("BYLINE_SITE_URL").rstrip("/") + "/moderate/",
        },
    )
    recipients = [user.email for user in moderators()]
    sent = 0
    for address in recipients:
        try:
            subject = (
                "1 comment awaits moderation" if len(new) == 1 else f"{len(new)} comments await moderation"
            )
            send_mail(subject, body, None, [address])
            sent += 1
        except Exception:  # noqa: BLE001
            logger.exception("Could not send the moderation digest to a moderator.")
    row.last_digest_at = now
    row.save(update_fields=["last_digest_at", "updated_at"])
    return sent
