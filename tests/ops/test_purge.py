"""Shared caches in front of Byline are told which pages changed; a broken purge never breaks an edit."""

import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from byline.web.purge import HTTPPurgeBackend, NginxRefreshPurgeBackend, purge_paths
from tests.factories import ArticleFactory, SectionFactory, TagFactory


class RecordingBackend:
    """A test double: remembers what it was asked to purge."""

    calls: list[list[str]] = []

    def purge(self, paths: list[str]) -> None:
        RecordingBackend.calls.append(paths)


class ExplodingBackend:
    def purge(self, paths: list[str]) -> None:
        raise RuntimeError("CDN API is down")


@pytest.fixture(autouse=True)
def _purge_in_the_request(settings):
    settings.BYLINE_CACHE_PURGE_ASYNC = False


@pytest.fixture
def purge_server():
    received: list[tuple[str, str, str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802  (http.server's naming)
            received.append(
                (self.command, self.path, self.headers.get("Host"), self.headers.get("Accept-Encoding"))
            )
            self.send_response(200)
            self.end_headers()

        def do_GET(self):  # noqa: N802
            if self.headers.get("X-Byline-Refresh") == "1":
                self.do_PURGE()
            else:
                self.send_response(400)
                self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_http_backend_sends_purge_for_each_page_and_encoding_with_the_sites_host(purge_server, settings):
    address, received = purge_server
    settings.BYLINE_SITE_URL = "https://news.example.org"
    settings.BYLINE_CACHE_PURGE_URLS = [address]
    HTTPPurgeBackend().purge(["/", "/city/harbour-ferry/"])
    assert sorted(received) == sorted(
        ("PURGE", path, "news.example.org", encoding)
        for path in ["/", "/city/harbour-ferry/"]
        for encoding in ["gzip", "identity"]
    )


def test_nginx_backend_re_requests_each_page_with_the_refresh_header(purge_server, settings):
    address, received = purge_server
    settings.BYLINE_SITE_URL = "https://news.example.org"
    settings.BYLINE_CACHE_PURGE_URLS = [address]
    NginxRefreshPurgeBackend().purge(["/city/"])
    assert sorted(received) == [
        ("GET", "/city/", "news.example.org", "gzip"),
        ("GET", "/city/", "news.example.org", "identity"),
    ]


def test_an_unreachable_cache_is_logged_and_not_raised(settings, caplog):
    settings.BYLINE_CACHE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}"]
    settings.BYLINE_CACHE_PURGE_TIMEOUT = 0.5
    settings.BYLINE_CACHE_PURGE_BACKEND = "byline.web.purge.HTTPPurgeBackend"
    with caplog.at_level(logging.WARNING, logger="byline.web.purge"):
        purge_paths(["/"])
    assert "Cache purge of" in caplog.text


def test_a_failing_backend_is_logged_and_not_raised(settings, caplog):
    settings.BYLINE_CACHE_PURGE_BACKEND = "tests.ops.test_purge.ExplodingBackend"
    with caplog.at_level(logging.ERROR, logger="byline.web.purge"):
        purge_paths(["/"])
    assert "ExplodingBackend failed" in caplog.text


def test_the_default_backend_purges_nothing_and_says_nothing(caplog):
    with caplog.at_level(logging.DEBUG, logger="byline.web.purge"):
        purge_paths(["/"])
    assert caplog.text == ""


@pytest.mark.django_db
def test_publishing_tells_the_purge_backend_every_page_the_article_is_on(settings, on_commit):
    settings.BYLINE_CACHE_PURGE_BACKEND = "tests.ops.test_purge.RecordingBackend"
    RecordingBackend.calls = []
    article = ArticleFactory(section=SectionFactory(slug="city"), slug="harbour-ferry", journalists=[])
    with on_commit():
        article.tags.add(TagFactory(slug="transit"))
    purged = set().union(*RecordingBackend.calls)
    assert {"/", "/city/", "/city/harbour-ferry/", "/tags/transit/"} <= purged


@pytest.mark.django_db
def test_an_edit_commits_even_when_the_purge_fails(settings, on_commit):
    settings.BYLINE_CACHE_PURGE_BACKEND = "tests.ops.test_purge.ExplodingBackend"
    article = ArticleFactory()
    with on_commit():
        article.headline = "Saved anyway"
        article.save()
    article.refresh_from_db()
    assert article.headline == "Saved anyway"


def test_the_background_purger_gathers_a_burst_and_purges_each_page_once(settings):
    settings.BYLINE_CACHE_PURGE_ASYNC = True
    settings.BYLINE_CACHE_PURGE_DELAY = 0.3
    settings.BYLINE_CACHE_PURGE_BACKEND = "tests.ops.test_purge.RecordingBackend"
    RecordingBackend.calls = []
    for _ in range(20):
        purge_paths(["/", "/city/harbour-ferry/"])
    purge_paths(["/city/"])
    deadline = time.monotonic() + 5
    while not RecordingBackend.calls and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert RecordingBackend.calls == [["/", "/city/", "/city/harbour-ferry/"]]
