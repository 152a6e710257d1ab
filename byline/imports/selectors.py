"""Reads of the imports app."""

from __future__ import annotations

from django.db.models import QuerySet

from byline.accounts.models import User
from byline.comments.models import Comment
from byline.imports.models import ImportedIdentity


def claimable_comments(*, user: User) -> QuerySet[Comment]:
    """Imported comments without an account, written with this user's email (case-insensitive)."""
    email = (user.email or "").strip()
    if not email:
        return Comment.objects.none()
    imported = ImportedIdentity.objects.filter(kind=ImportedIdentity.Kind.COMMENT).values("object_id")
    return Comment.objects.filter(author__isnull=True, guest_email__iexact=email, pk__in=imported)


def claimable_comment_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return claimable_comments(user=user).count()
