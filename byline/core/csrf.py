"""One CSRF form token per request, masked with one read of the operating system's random source.

Django masks the reader's CSRF secret afresh on every `get_token()` call: 32 random characters drawn one
`secrets.choice` (one `os.urandom` system call) at a time, about 40 us a token here against 8 us for one
read (a few per cent of a signed-in article page's CPU, and of a comment POST's). Any masked form of the
secret is valid, so a request keeps the first token it made for as long as the secret is the same (a
sign-in rotates it), and the mask is drawn from one 64-byte read, uniformly over the same 62 characters.
A request with no CSRF secret yet goes through `get_token`, which makes one (so does anything that is
not a 32-character secret, which CsrfViewMiddleware never leaves in place).
"""

from __future__ import annotations

import os

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_BASE = len(CSRF_ALLOWED_CHARS)
_UNBIASED = 256 - 256 % _BASE  # bytes at or above this are dropped: every character equally likely


def form_token(request: HttpRequest) -> str:
    """The CSRF token for this request's forms, as `get_token` makes it (and sets the cookie)."""
    secret = request.META.get("CSRF_COOKIE")
    kept = getattr(request, "_byline_form_token", None)
    if kept is not None and kept[0] == secret:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token does: the cookie goes out
        return kept[1]
    if secret is None or len(secret) != CSRF_SECRET_LENGTH or not all(char in _INDEX for char in secret):
        token = get_token(request)  # no secret yet (Django makes one), or one Django alone knows how to read
    else:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        token = masked(secret)
    request._byline_form_token = (request.META.get("CSRF_COOKIE"), token)
    return token


def token_made(request: HttpRequest) -> str:
    """The token `form_token` made for this request's forms, or "" if none was asked for."""
    kept = getattr(request, "_byline_form_token", None)
    return kept[1] if kept is not None else ""


def masked(secret: str) -> str:
    """`secret` under a fresh random mask: what Django's `_mask_cipher_secret` returns, mask first."""
    mask = random_chars(len(secret))
    return mask + "".join(
        CSRF_ALLOWED_CHARS[(_INDEX[s] + _INDEX[m]) % _BASE] for s, m in zip(secret, mask, strict=True)
    )


def random_chars(count: int) -> str:
    """`count` characters of CSRF_ALLOWED_CHARS from the OS's random source, each equally likely."""
    chars: list[str] = []
    while len(chars) < count:
        chars += [CSRF_ALLOWED_CHARS[byte % _BASE] for byte in os.urandom(2 * count) if byte < _UNBIASED]
    return "".join(chars[:count])
