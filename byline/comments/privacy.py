"""Readers' addresses are never stored: only a keyed hash of the anonymised address (IPv4 /24, IPv6 /48),
enough to spot one network posting in bursts, useless for finding a person."""




def export_comments(user) -> list[dict]:
    """The reader's comments in every state, for their data download."""
    from byline.comments.models import Comment

    rows = Comment.objects.filter(author=user).select_related("article__section").order_by("created_at", "id")
    return [
        {
            "id": c.pk,
            "article": c.article.headline,
            "article_url": c.article.get_absolute_url(),
            "in_reply_to": c.in_reply_to_id,
            "created_at": c.created_at.isoformat(),
            "edited_at": c.edited_at.isoformat() if c.edited_at else None,
            "status": c.status,
            "removed": c.is_removed,
            "body": c.body_source,
            "like_count": c.like_count,
        }
        for c in rows
    ]


def export_likes(user) -> list[dict]:
    from byline.comments.models import CommentLike

    return [
        {"comment": like.comment_id, "created_at": like.created_at.isoformat()}
        for like in CommentLike.objects.filter(user=user).order_by("created_at")
    ]


def export_reports(user) -> list[dict]:
    from byline.comments.models import CommentReport

    return [
        {"comment": r.comment_id, "reason": r.reason, "text": r.text, "created_at": r.created_at.isoformat()}
        for r in CommentReport.objects.filter(reporter=user).order_by("created_at")
    ]


def erase_reader(*, user, keep_content: bool) -> None:
    """Before an account is deleted: take back its likes, and remove its comments or keep them anonymous."""
    from django.db.models import F

    from byline.comments import services
    from byline.comments.models import Comment, CommentLike, CommentReport

    liked = CommentLike.objects.filter(user=user).values("comment_id")
    Comment.objects.filter(pk__in=liked, like_count__gt=0).update(like_count=F("like_count") - 1)
    CommentLike.objects.filter(user=user).delete()
    CommentReport.objects.filter(reporter=user).update(reporter=None)
    comments = Comment.objects.filter(author=user)
    if not keep_content:
        for comment in comments.filter(is_removed=False):
            services.comment_remove(comment=comment, user=user)
    comments.update(author=None, guest_name="Former reader", guest_email="", ip_hash="")
