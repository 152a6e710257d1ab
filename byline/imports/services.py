"""Writes of the imports app that other apps may call.

`claim_guest_comments` is the hook for readers: comments imported from WordPress or Disqus carry their
writer's name and (private) email but no account. A reader who signs up and verifies that same address
may take them over; they then show under the reader's display name and on the reader's profile.
"""

from __future__ import annotations

from django.db import transaction

from byline.accounts.models import User
from byline.comments.models import Comment
from byline.core.errors import PermissionDenied
from byline.imports.selectors import claimable_comments


@transaction.atomic
def claim_guest_comments(*, user: User) -> int:
    """Attach to `user` every imported guest comment written with the user's verified email address.

    Returns how many were claimed. Visibility does not change (an approved comment stays approved), so
    article comment counts stay exact. Calling it again claims nothing more.
    """
    if not user.is_verified:
        raise PermissionDenied(
            "Confirm your email address first: only then can we tell the imported comments are yours.",
            code="unverified",
        )
    ids = list(claimable_comments(user=user).select_for_update().values_list("pk", flat=True))
    if not ids:
        return 0
    claimed = Comment.objects.filter(pk__in=ids, author__isnull=True)
    article_ids = set(claimed.values_list("article_id", flat=True))
    count = claimed.update(author=user)
    _refresh_cached_pages(article_ids)
    return count


def _refresh_cached_pages(article_ids: set[int]) -> None:
    """The claimed comments now show the reader's display name: those article pages must be rendered anew."""
    from byline.web.caching import article_pages, invalidate_on_commit

    paths: set[str] = set()
    for article_id in article_ids:
        paths |= article_pages(article_id)
    invalidate_on_commit(paths)
