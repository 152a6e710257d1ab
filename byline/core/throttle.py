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
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from byline.core.cache import redis_client
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
    return hit_many([(key, limit, period)], now=now)


def hit_many(events: Iterable[tuple[str, Limit, int]], *, now: float | None = None) -> int | None:
    """Count one event under each `(key, limit, period)` (a per-minute and a per-day limit, say). Returns
    None while every one is within its limit, else the longest wait."""
    return max(exceeded(events, now=now).values(), default=None)


def exceeded(events: Iterable[tuple[str, Limit, int]], *, now: float | None = None) -> dict[int, int]:
    """Count one event under each `(key, limit, period)`; return {position in `events`: seconds to wait}
    for those now over their limit. On Redis all the counters move in one round trip, where counting them
    one by one would cost three each."""
    moment = int(time.time() if now is None else now)
    counters: list[tuple[int, str, int, int, int]] = []  # position, cache key, limit, period, window
    for position, (key, limit, period) in enumerate(events):
        limit = _value(limit)
        if limit <= 0:
            continue
        period = max(1, int(period))
        window = moment // period
        counters.append((position, f"{KEY_PREFIX}:{key}:{period}:{window}", limit, period, window))
    if not counters:
        return {}
    try:
        counts = _count([(cache_key, period) for _, cache_key, _, period, _ in counters])
    except Exception:  # the cache is down: let the request through, loudly
        keys = ", ".join(cache_key for _, cache_key, *_ in counters)
        logger.warning("Rate limiter could not reach the cache; allowing %s", keys, exc_info=True)
        return {}
    return {
        position: max(1, (window + 1) * period - moment)
        for (position, _, limit, period, window), count in zip(counters, counts, strict=True)
        if count > limit
    }


def _count(counters: list[tuple[str, int]]) -> list[int]:
    """Add one to each counter, creating it for its window (plus a margin) if need be; return the counts."""
    client = redis_client()
    if client is None:
        return [_count_one(cache_key, period) for cache_key, period in counters]
    pipeline = client.pipeline(transaction=False)
    for cache_key, period in counters:
        full_key = cache.make_and_validate_key(cache_key)
        pipeline.set(full_key, 0, ex=period + 5, nx=True)  # the first event of a window creates it
        pipeline.incr(full_key)
    return [int(count) for count in pipeline.execute()[1::2]]


def _count_one(cache_key: str, period: int) -> int:
    # add() is atomic on every backend: the first event of a window creates the counter.
    if cache.add(cache_key, 1, timeout=period + 5):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=period + 5)
        return 1


def count(key: str, period: int, *, now: float | None = None) -> int:
    """Events counted for `key` in the current window, without counting one (0 if the cache is down)."""
    period = max(1, int(period))
    window = int(time.time() if now is None else now) // period
    try:
        return int(cache.get(f"{KEY_PREFIX}:{key}:{period}:{window}", 0))
    except Exception:
        logger.warning("Rate limiter could not reach the cache to read %s", key, exc_info=True)
        return 0


def wait_if_used_up(key: str, limit: Limit, period: int, *, now: float | None = None) -> int | None:
    """Like `hit` without counting: the wait if `limit` events were already counted in this window."""
    limit = _value(limit)
    if limit <= 0:
        return None
    period = max(1, int(period))
    moment = int(time.time() if now is None else now)
    if count(key, period, now=moment) < limit:
        return None
    return max(1, (moment // period + 1) * period - moment)


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
