"""Sessions in the database with the cache in front (Django's cached_db), readable in a round trip the page
makes anyway: a signed-in reader's article page reads its version tokens from the same cache, and asking
for the session in that MGET saves a second round trip per request."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import DEFAULT_CACHE_ALIAS


class SessionStore(cached_db.SessionStore):
    """Django's cached_db store (same keys, same data) that can take its cached data from a caller's read."""

    def prefetch_key(self, alias: str) -> str | None:
        """The key to add to a `get_many` of cache `alias` about to run, or None when this session is already
        loaded, has no key, or lives in another cache."""
        if alias != settings.SESSION_CACHE_ALIAS or not self.session_key or hasattr(self, "_session_cache"):
            return None
        return self.cache_key

    def prefetched(self, data: dict | None) -> None:
        """The value the caller's read found under `prefetch_key()`; None (not cached) loads as usual."""
        if data is not None:
            self._prefetched = (self.session_key, data)

    def load(self) -> dict:
        key, data = self.__dict__.pop("_prefetched", (None, None))
        # Used only for the key it was read under: a session whose key changed since loads afresh.
        return data if data is not None and key == self.session_key else super().load()


def prefetch_key(session, alias: str = DEFAULT_CACHE_ALIAS) -> str | None:
    """`session`'s key for a read of cache `alias` about to run, whatever the session engine (None: no)."""
    ask = getattr(session, "prefetch_key", None)
    return ask(alias) if ask is not None else None
