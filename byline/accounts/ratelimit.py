"""Fixed-window counters in Django's cache (locmem in development, Redis in production).

`hit()` counts one event and raises RateLimited once the window's limit is passed. The windows are aligned
to the clock, so `Retry-After` is the time left in the current window.
"""

import time

from django.core.cache import cache

from byline.core.errors import RateLimited


def hit(*, scope: str, key: str, limit: int, window_seconds: int, message: str) -> None:
    if limit <= 0:
        return
    now = int(time.time())
    window = now // window_seconds
    cache_key = f"byline:rl:{scope}:{key}:{window}"
    # add() is atomic on every backend: the first hit of a window creates the counter.
    if cache.add(cache_key, 1, timeout=window_seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=window_seconds + 5)
            count = 1
    if count > limit:
        retry_after = max(1, (window + 1) * window_seconds - now)
        raise RateLimited(message, retry_after=retry_after)


def peek(*, scope: str, key: str, window_seconds: int) -> int:
    window = int(time.time()) // window_seconds
    return cache.get(f"byline:rl:{scope}:{key}:{window}", 0)


def check(*, scope: str, key: str, limit: int, window_seconds: int, message: str) -> None:
    """Raise RateLimited if the window's limit is already used up, without counting an event."""
    if limit <= 0:
        return
    if peek(scope=scope, key=key, window_seconds=window_seconds) >= limit:
        now = int(time.time())
        retry_after = max(1, (now // window_seconds + 1) * window_seconds - now)
        raise RateLimited(message, retry_after=retry_after)
