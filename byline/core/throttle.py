"""A small rate limiter on Django's cache (locmem in development, Redis in production).

    retry_after = hit("search:ip:203.0.113.0", limit=30, period=60)   # None while under the limit
    throttle("login:ip:203.0.113.0", limit=20, period=900)           # raises RateLimited(retry_after=…)

    @rate_limit("search", limit="BYLINE_SEARCH_RATE_PER_MINUTE", period=60)   # a view, keyed by network
    def site_search(request): ...

Windows are fixed and aligned to the clock, so `Retry-After` is the time left in the current window and
every worker process agrees on it (they share the cache). A limit may be an int or the name of a BYLINE_*
setting, read at call time. If the cache cannot be reached the request is let through and a warning is
logged: a broken cache must not take the site down with it.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from byline.core.conf import byline_setting
from byline.core.errors import RateLimited
from byline.core.ip import anonymise_ip, client_ip

logger = logging.getLogger("byline.throttle")
KEY_PREFIX = "byline:throttle"

Limit = int | str


def _value(limit: Limit) -> int:
    return int(byline_setting(limit)) if isinstance(limit, str) else int(limit)


def hit(key: str, limit: Limit, period: int, *, now: float | None = None) -> int | None:
    """Count one event for `key`. Returns None while within `limit` per `period` seconds, else the seconds
    until the window resets (at least 1). A limit of 0 or less means "no limit"."""
    limit = _value(limit)
    if limit <= 0:
        return None
    period = max(1, int(period))
    moment = int(time.time() if now is None else now)
    window = moment // period
    cache_key = f"{KEY_PREFIX}:{key}:{period}:{window}"
    try:
        # add() is atomic on every backend: the first event of a window creates the counter.
        if cache.add(cache_key, 1, timeout=period + 5):
            count = 1
        else:
            try:
                count = cache.incr(cache_key)
            except ValueError:  # expired between add() and incr()
                cache.set(cache_key, 1, timeout=period + 5)
                count = 1
    except Exception:  # the cache is down: let the request through, loudly
        logger.warning("Rate limiter could not reach the cache; allowing %s", key, exc_info=True)
        return None
    if count > limit:
        return max(1, (window + 1) * period - moment)
    return None


def throttle(key: str, limit: Limit, period: int, *, message: str | None = None) -> None:
    """Count one event and raise RateLimited (429, with retry_after) once `limit` per `period` is passed."""
    retry_after = hit(key, limit, period)
    if retry_after is not None:
        raise RateLimited(message, retry_after=retry_after)


def reset(key: str, period: int) -> None:
    """Forget the current window's count for `key` (e.g. after a successful sign-in)."""
    window = int(time.time()) // max(1, int(period))
    try:
        cache.delete(f"{KEY_PREFIX}:{key}:{period}:{window}")
    except Exception:
        logger.warning("Rate limiter could not reach the cache to reset %s", key, exc_info=True)


def network_key(request: HttpRequest) -> str:
    """The client's network (IPv4 /24, IPv6 /48) behind trusted proxies: one key per household or office."""
    return anonymise_ip(client_ip(request)) or "unknown"


def user_or_network_key(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"net:{network_key(request)}"


def rate_limit(
    scope: str,
    *,
    limit: Limit,
    period: int,
    key: Callable[[HttpRequest], str] = network_key,
    methods: tuple[str, ...] | None = None,
    message: str | None = None,
) -> Callable:
    """Decorate a view: over the limit it raises RateLimited, which BylineErrorMiddleware turns into a 429
    page (or JSON) with Retry-After. `methods` limits counting to those HTTP methods (default: all)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if methods is None or request.method in methods:
                throttle(f"{scope}:{key(request)}", limit, period, message=message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
