"""Rate limits by scope and key (sign-up, sign-in, comments, likes, reports), counted by the one limiter
in `byline.core.throttle`: fixed windows aligned to the clock in Django's cache, so `Retry-After` is the
time left in the current window and every worker agrees on it.

`hit()` counts one event and raises RateLimited once the window's limit is passed; `hit_all()` counts
several limits at once (one cache round trip on Redis); `check()` raises without counting.
"""

import time

from byline.core import throttle
from byline.core.errors import RateLimited


def _key(scope: str, key: str) -> str:
    return f"{scope}:{key}"


def hit(*, scope: str, key: str, limit: int, window_seconds: int, message: str) -> None:
    hit_all(key=key, limits=[(scope, limit, window_seconds, message)])


def hit_all(*, key: str, limits: list[tuple[str, int, int, str]]) -> None:
    """Count one event for `key` under each `(scope, limit, window_seconds, message)` (every limit counts
    the attempt); over any of them, raise RateLimited with the longest wait and the message that goes with
    it."""
    over = throttle.exceeded(
        [(_key(scope, key), limit, window) for scope, limit, window, _ in limits], now=time.time()
    )
    if over:
        longest = max(over, key=over.__getitem__)
        raise RateLimited(limits[longest][3], retry_after=over[longest])


def check(*, scope: str, key: str, limit: int, window_seconds: int, message: str) -> None:
    """Raise RateLimited if the window's limit is already used up, without counting an event."""
    retry_after = throttle.wait_if_used_up(_key(scope, key), limit, window_seconds, now=time.time())
    if retry_after is not None:
        raise RateLimited(message, retry_after=retry_after)
