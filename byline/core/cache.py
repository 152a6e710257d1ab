"""Django's Redis cache, keeping one client per connection pool instead of making one per call.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` object on every cache call (about 70 µs
of CPU each; a page view makes several: session, page-cache tokens, comment fragments). A `redis.Redis`
object is thread-safe and only borrows connections from its pool, so one per pool is enough; after a fork
(gunicorn workers), redis-py's pool notices the new process and opens its own connections.
"""

import secrets

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient


def current_tokens(keys: list[str]) -> list:
    """The version tokens stored at `keys`, a new random one made for any key that has none yet (one
    round trip when all exist). The page cache (web/caching.py) and the comment-section cache
    (comments/rendering.py) read their tokens through this one function."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, new_token(), timeout=None)
            found[key] = cache.get(key)
    return [found[key] for key in keys]


def redis_client():
    """The redis-py client behind the default cache, for the commands Django's cache API has no call for
    (sets, INCR, NX locks), or None when the cache is not Redis (locmem in one process)."""
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    return None if client_of is None else client_of(write=True)


def new_token() -> str:
    return secrets.token_hex(8)
