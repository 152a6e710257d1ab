"""One CSRF form token per request.

Django masks the reader's CSRF secret afresh on every `get_token()` call (64 random characters): correct,
but a page that asks in two places (the comments section and the header's sign-out form) pays twice.
Any masked form of the secret is valid, so a request keeps the first one it made, for as long as the
secret is the same (a sign-in rotates it).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token


def form_token(request: HttpRequest) -> str:
    """The CSRF token for this request's forms, as `get_token` makes it (and sets the cookie)."""
    kept = getattr(request, "_byline_form_token", None)
    if kept is not None and kept[0] == request.META.get("CSRF_COOKIE"):
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token does: the cookie goes out
        return kept[1]
    token = get_token(request)
    request._byline_form_token = (request.META.get("CSRF_COOKIE"), token)
    return token
