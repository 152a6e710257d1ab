"""A WSGI layer in front of Django that answers repeat anonymous reads of cached pages from worker memory.

The page cache middleware (`caching.py`) serves an anonymous reader's page from Django's cache, but each hit
still pays for Django's request and response objects, the middleware stack, URL resolving and the transfer
of the whole stored page (plain and gzipped) out of Redis. This layer keeps, in each worker process, the
pages the middleware answered last, exactly as they were sent, with the version tokens each was rendered
under. A repeat request for the same address, host and encoding costs one small round trip that reads
those tokens: if all still match and the page has not expired, the stored answer goes out; otherwise the
request goes to Django as before. Invalidation therefore stays as exact and immediate as the shared cache's,
on every app server.

Only requests the middleware would answer from the cache come here: GET, no session or flash-message
cookie, no credentials, not conditional (a conditional request goes to Django, which answers 304). Only
answers the middleware marked as page-cache answers (200, no cookie set) are kept, within a memory budget
(`BYLINE_PAGE_CACHE_MEMORY_MB` per process, least recently used first out).
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http.cookie import parse_cookie

from byline.core.conf import byline_setting
from byline.web import caching

_PER_HIT_HEADERS = {"cache-control", "x-byline-cache"}
_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


@dataclass(frozen=True)
class HotPage:
    entry: dict  # the middleware's stored entry, without its bodies (for Cache-Control and the tokens)
    version_keys: tuple[str, ...]
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + 1024

    def is_current(self, read_tokens: Callable[[tuple[str, ...]], list]) -> bool:
        if self.entry["expires"] <= time.time():
            return False
        return read_tokens(self.version_keys) == self.entry["versions"]

    def start(self, start_response: Callable) -> list[bytes]:
        headers = [
            *self.headers,
            ("Cache-Control", caching.cache_control(self.entry)),
            ("X-Byline-Cache", "HIT"),
        ]
        start_response(self.status, headers)
        return [self.body]


class PageCacheFastPath:
    """Wraps Django's WSGI application (`byline/wsgi.py`)."""

    def __init__(self, app: Callable):
        self.app = app
        self.pages: OrderedDict[tuple, HotPage] = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        key = self.key(environ)
        if key is None:
            return self.app(environ, start_response)
        page = self.pages.get(key)
        if page is not None:
            try:
                current = page.is_current(self.read_tokens)
            except Exception:  # the shared cache is down: Django renders live and logs it
                current = False
            if current:
                with self.lock:
                    if key in self.pages:
                        self.pages.move_to_end(key)
                return page.start(start_response)
            self.forget(key)
        return self.capture(key, environ, start_response)

    @staticmethod
    def read_tokens(keys: tuple[str, ...]) -> list:
        """The current version tokens of `keys` (None where missing): one round trip to the shared cache."""
        found = cache.get_many(keys)
        return [found.get(key) for key in keys]

    @staticmethod
    def key(environ: dict) -> tuple | None:
        """What the answer depends on, or None when this request must reach Django."""
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_AUTHORIZATION" in environ:
            return None
        if any(header in environ for header in _CONDITIONAL):
            return None
        raw_cookies = environ.get("HTTP_COOKIE")
        if raw_cookies:
            cookies = parse_cookie(raw_cookies)
            if settings.SESSION_COOKIE_NAME in cookies or caching.MESSAGES_COOKIE in cookies:
                return None
        if not byline_setting("BYLINE_PAGE_CACHE"):
            return None
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_X_FORWARDED_PROTO"),
            environ.get("HTTP_HOST"),
            environ.get("HTTP_X_FORWARDED_HOST"),
            environ.get("SERVER_NAME"),
            environ.get("SERVER_PORT"),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            bool(caching.ACCEPTS_GZIP.search(environ.get("HTTP_ACCEPT_ENCODING", ""))),
        )

    def capture(self, key: tuple, environ: dict, start_response: Callable) -> Iterable[bytes]:
        sent: dict = {}

        def recording_start_response(status, headers, exc_info=None):
            sent["status"], sent["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start_response)
        entry = environ.get(caching.FAST_PATH_ENTRY)
        if entry is None or not sent.get("status", "").startswith("200"):
            return result
        if any(name.lower() == "set-cookie" for name, _ in sent["headers"]):
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        self.remember(
            key,
            HotPage(
                entry={k: v for k, v in entry.items() if k not in ("body", "gzip")},
                version_keys=tuple(caching.version_key(path) for path in entry["dependencies"]),
                status=sent["status"],
                headers=tuple((n, v) for n, v in sent["headers"] if n.lower() not in _PER_HIT_HEADERS),
                body=body,
            ),
        )
        return [body]

    def remember(self, key: tuple, page: HotPage) -> None:
        budget = float(byline_setting("BYLINE_PAGE_CACHE_MEMORY_MB")) * 2**20
        if page.size > budget:
            return
        with self.lock:
            self._drop(key)
            self.pages[key] = page
            self.bytes += page.size
            while self.bytes > budget:
                self._drop(next(iter(self.pages)))

    def forget(self, key: tuple) -> None:
        with self.lock:
            self._drop(key)

    def _drop(self, key: tuple) -> None:
        page = self.pages.pop(key, None)
        if page is not None:
            self.bytes -= page.size
