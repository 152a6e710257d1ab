"""Telling shared caches in front of Byline (nginx, Varnish, a CDN) that pages changed.

`BYLINE_CACHE_PURGE_BACKEND` names the backend class by dotted path, loaded at call time. A backend gets
the site-relative paths of the pages that changed (`/`, `/city/a-story/`, …). Purging is a side effect
outside the core flow: a failure is logged and never reaches the editor or reader who caused it.
"""

import logging
import os
import queue
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

from django.utils.module_loading import import_string

from byline.core.cache import redis_client
from byline.core.conf import byline_setting

logger = logging.getLogger("byline.web.purge")


class PurgeBackend:
    """Subclass and implement `purge(paths)`. `paths` start with "/" and may be purged in any order."""

    def purge(self, paths: list[str]) -> None:
        raise NotImplementedError


class DummyPurgeBackend(PurgeBackend):
    """The default: no shared cache to purge (pages there expire after BYLINE_CACHE_S_MAXAGE)."""

    def purge(self, paths: list[str]) -> None:
        return None


class HTTPPurgeBackend(PurgeBackend):
    """Send `PURGE <path>` to every address in BYLINE_CACHE_PURGE_URLS: Varnish, or nginx with the cache
    purge module (Debian: libnginx-mod-http-cache-purge).

    The Host header is the one of BYLINE_SITE_URL, so the cache finds the entry readers were served. Each
    path is purged twice, with and without `Accept-Encoding: gzip`, for caches that keep one entry per
    encoding (as deploy/nginx does).
    """

    method = "PURGE"
    extra_headers: dict[str, str] = {}
    encodings = ("gzip", "identity")

    def purge(self, paths: list[str]) -> None:
        host = urllib.parse.urlsplit(byline_setting("BYLINE_SITE_URL")).netloc
        timeout = float(byline_setting("BYLINE_CACHE_PURGE_TIMEOUT"))
        for base in byline_setting("BYLINE_CACHE_PURGE_URLS"):
            for path in paths:
                for encoding in self.encodings:
                    self._send(base.rstrip("/") + path, host=host, encoding=encoding, timeout=timeout)

    def _send(self, url: str, *, host: str, encoding: str, timeout: float) -> None:
        if not url.startswith(("http://", "https://")):
            logger.error("Cache purge skipped: %s is not an http(s) address.", url)
            return
        # The scheme is checked above: no file:// or custom schemes reach urlopen.
        headers = {"Host": host, "Accept-Encoding": encoding, **self.extra_headers}
        request = urllib.request.Request(url, method=self.method, headers=headers)  # noqa: S310  # nosec B310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
                response.read()
        except urllib.error.HTTPError as error:
            if error.code != 404:  # nothing cached there: nothing to purge
                logger.warning("Cache purge of %s answered %s.", url, error.code)
        except (OSError, ValueError) as error:
            logger.warning("Cache purge of %s failed: %s", url, error)


class NginxRefreshPurgeBackend(HTTPPurgeBackend):
    """For stock nginx configured as in deploy/nginx/byline.conf: re-request each page with
    `X-Byline-Refresh: 1`, which makes nginx fetch it past its cache and store the fresh copy.

    (nginx only caches GET and HEAD, so a PURGE request cannot refresh an entry without a module.)
    """

    method = "GET"
    extra_headers = {"X-Byline-Refresh": "1"}


def purge_paths(paths: Iterable[str]) -> None:
    """Hand `paths` to the configured backend; log, never raise (a purge must not break a publish).

    With BYLINE_CACHE_PURGE_ASYNC (the default) the paths go to a background thread that gathers what
    arrives within BYLINE_CACHE_PURGE_DELAY seconds and purges each path once: a burst of comments on
    one story costs one purge per page, and no request waits for a cache to answer.
    """
    paths = set(paths)
    if not paths:
        return
    if byline_setting("BYLINE_CACHE_PURGE_ASYNC"):
        _purger.submit(paths)
    else:
        _run_backend(paths)


def _run_backend(paths: set[str]) -> None:
    dotted = byline_setting("BYLINE_CACHE_PURGE_BACKEND")
    try:
        backend = import_string(dotted)()
        backend.purge(sorted(paths))
    except Exception:
        logger.exception("Cache purge backend %s failed for %d page(s).", dotted, len(paths))


class _BackgroundPurger:
    """One daemon thread per process, started on first use (also after a fork: gunicorn workers).

    With the Redis cache, every app process (on every app server) hands what it gathered to one shared
    set of pages to refresh, and one round at a time, at most one every BYLINE_CACHE_PURGE_DELAY seconds
    across all of them, takes the whole set and purges each page once: a burst of comments costs one
    refresh per page per delay, not one per process. A process keeps trying until the set is empty, so
    whichever round empties it started after the pages were added, that is after the changes committed.
    Without Redis, or when it cannot be reached, each process purges what it gathered itself.
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[set[str]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def submit(self, paths: set[str]) -> None:
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._queue = queue.SimpleQueue()
                self._thread = threading.Thread(target=self._run, name="byline-cache-purge", daemon=True)
                self._pid = os.getpid()
                self._thread.start()
        self._queue.put(paths)

    def _run(self) -> None:
        pending = self._queue
        while True:
            batch = set(pending.get())
            delay = float(byline_setting("BYLINE_CACHE_PURGE_DELAY"))
            deadline = time.monotonic() + delay
            while (remaining := deadline - time.monotonic()) > 0:
                try:
                    batch |= pending.get(timeout=remaining)
                except queue.Empty:
                    break
            purge_batch(batch, delay=delay)


def purge_batch(paths: set[str], *, delay: float) -> None:
    """Purge `paths` in a round shared with the other app processes, or here when there is no Redis."""
    shared = SharedRounds.connect()
    if shared is None:
        _run_backend(paths)
        return
    try:
        shared.add(paths)
        while not shared.try_round(delay):
            if shared.is_empty():  # a round that started after our paths were added took them
                return
            time.sleep(max(shared.wait_seconds(), 0.01))
    except Exception:
        logger.warning("Shared purge rounds unavailable (Redis); purging %d page(s) here.", len(paths))
        _run_backend(paths)


class SharedRounds:
    """The set of pages waiting for a refresh, and the lock of the current round, in Redis."""

    def __init__(self, client):
        from django.core.cache import cache

        self.client = client
        self.pending = cache.make_key("byline:purge:pending")
        self.round = cache.make_key("byline:purge:round")

    @classmethod
    def connect(cls) -> "SharedRounds | None":
        """The shared rounds, or None when the cache is not Redis: nothing is shared between processes."""
        client = redis_client()
        return None if client is None else cls(client)

    def add(self, paths: set[str]) -> None:
        if paths:
            self.client.sadd(self.pending, *sorted(paths))

    def try_round(self, delay: float) -> bool:
        """Take the round if no other process has in the last `delay` seconds, then purge every page
        waiting. True if this process ran the round."""
        if not self.client.set(self.round, os.getpid(), nx=True, px=max(1, int(delay * 1000))):
            return False
        with self.client.pipeline(transaction=True) as pipe:
            pipe.smembers(self.pending)
            pipe.delete(self.pending)
            members, _ = pipe.execute()
        paths = {member.decode() if isinstance(member, bytes) else member for member in members}
        if paths:
            _run_backend(paths)
        return True

    def is_empty(self) -> bool:
        return not self.client.exists(self.pending)

    def wait_seconds(self) -> float:
        remaining = self.client.pttl(self.round)
        return remaining / 1000 if remaining and remaining > 0 else 0.0


_purger = _BackgroundPurger()
