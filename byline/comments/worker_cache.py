"""Recently used entries of the shared cache, kept unpickled in this worker process.

A rendered comment section or article part is 20-200 KB: fetching and unpickling it from Redis on every
request costs more than the small round trip that reads its version token. So each process keeps the
entries it used last, each with the version it was made under; a caller that has read the current version
(it must, to know the entry is fresh) takes the local copy when the versions match, and Redis otherwise.
Invalidation therefore stays exactly that of the version tokens, on every app server.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from typing import Any


class WorkerCache:
    """A least-recently-used map of key → (version, entry), bounded by the entries' approximate size."""

    def __init__(self, budget_bytes: int):
        self.budget = budget_bytes
        self.items: OrderedDict[str, tuple[Any, Any, int]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str, version: Any) -> Any | None:
        """The entry kept under `key` if it was made under `version`, else None."""
        item = self.items.get(key)
        if item is None or item[0] != version:
            return None
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
        return item[1]

    def peek(self, key: str) -> tuple[Any, Any] | None:
        """(version, entry) kept under `key`, whatever the version, or None."""
        item = self.items.get(key)
        return None if item is None else (item[0], item[1])

    def put(self, key: str, version: Any, entry: Any, size: int) -> None:
        if size > self.budget:
            return
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.size -= old[2]
            self.items[key] = (version, entry, size)
            self.size += size
            while self.size > self.budget:
                _, (_, _, freed) = self.items.popitem(last=False)
                self.size -= freed

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


@functools.cache
def templates_version(*names: str) -> str:
    """A short digest of the named templates' source, once per process: put in cache keys, it keeps HTML
    rendered by an older release (still in Redis after a deploy) from being served by a newer one."""
    from django.template.loader import get_template

    digest = hashlib.blake2b(digest_size=6)
    for name in names:
        digest.update(get_template(name).template.source.encode())
    return digest.hexdigest()
