"""The WSGI fast path (byline/web/fastpath.py): repeat anonymous reads skip Django, and are never stale."""

import gzip
import io
import time

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from byline.web.fastpath import PageCacheFastPath

pytestmark = pytest.mark.django_db


class CountingApp:
    """Django's WSGI application, counting the requests that reach it."""

    def __init__(self):
        self.django = get_wsgi_application()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture
def served():
    # As Django's test client does: a request must not close the test's database connection (PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield PageCacheFastPath(CountingApp())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def get(app, path, *, query="", method="GET", **headers):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    environ.update({"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()})
    answer = {}

    def start_response(status, header_list, exc_info=None):
        answer["status"], answer["headers"] = status, dict(header_list)

    result = app(environ, start_response)
    content = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return answer["status"], answer["headers"], content


def text(headers, content) -> str:
    return (gzip.decompress(content) if headers.get("Content-Encoding") == "gzip" else content).decode()


def test_a_repeat_anonymous_read_is_answered_without_django_and_is_the_same_page(served, story):
    status, first_headers, first = get(served, "/city/harbour-ferry/")
    assert status.startswith("200") and first_headers["X-Byline-Cache"] == "MISS"
    reached = served.app.calls
    status, headers, again = get(served, "/city/harbour-ferry/")
    assert served.app.calls == reached
    assert status.startswith("200")
    assert again == first
    assert headers["X-Byline-Cache"] == "HIT"
    same = ("Content-Security-Policy", "ETag", "Last-Modified", "Vary", "Content-Type", "Content-Length")
    for name in same:
        assert headers[name] == first_headers[name], name
    assert "public" in headers["Cache-Control"]
    assert "Harbour ferry returns" in again.decode()


def test_an_edit_is_seen_on_the_very_next_read(served, story):
    get(served, "/city/harbour-ferry/")
    get(served, "/city/harbour-ferry/")
    story.headline = "Harbour ferry returns on Monday"
    story.save()
    reached = served.app.calls
    _, headers, content = get(served, "/city/harbour-ferry/")
    assert served.app.calls == reached + 1
    assert "Harbour ferry returns on Monday" in content.decode()
    assert "Harbour ferry returns on Monday" in get(served, "/city/harbour-ferry/")[2].decode()


def test_an_expired_page_goes_back_to_django(served, story, monkeypatch):
    get(served, "/city/harbour-ferry/")
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    reached = served.app.calls
    get(served, "/city/harbour-ferry/")
    assert served.app.calls == reached + 1


def test_gzip_and_plain_readers_each_get_their_own_encoding(served, story):
    get(served, "/city/harbour-ferry/")
    get(served, "/city/harbour-ferry/", accept_encoding="gzip, br")
    _, plain_headers, plain = get(served, "/city/harbour-ferry/")
    _, zipped_headers, zipped = get(served, "/city/harbour-ferry/", accept_encoding="gzip, br")
    assert "Content-Encoding" not in plain_headers
    assert zipped_headers["Content-Encoding"] == "gzip"
    assert text(zipped_headers, zipped) == text(plain_headers, plain)


@pytest.mark.parametrize(
    "headers",
    [
        {"cookie": "sessionid=abc"},
        {"cookie": "theme=dark; messages=xyz"},
        {"authorization": "Bearer abc"},
        {"if_none_match": '"anything"'},
    ],
)
def test_signed_in_credentialed_or_conditional_requests_always_reach_django(served, story, headers):
    get(served, "/city/harbour-ferry/")
    reached = served.app.calls
    get(served, "/city/harbour-ferry/", **headers)
    get(served, "/city/harbour-ferry/", **headers)
    assert served.app.calls == reached + 2


def test_other_addresses_methods_and_pages_that_are_not_cached_reach_django(served, story):
    get(served, "/city/harbour-ferry/")
    reached = served.app.calls
    get(served, "/city/harbour-ferry/", query="sort=oldest")
    get(served, "/city/harbour-ferry/", method="HEAD")
    get(served, "/city/no-such-story/")
    get(served, "/city/no-such-story/")
    get(served, "/search/", query="q=ferry")
    get(served, "/search/", query="q=ferry")
    assert served.app.calls == reached + 6


def test_with_the_page_cache_off_every_read_reaches_django(served, story, settings):
    settings.BYLINE_PAGE_CACHE = False
    for _ in range(3):
        get(served, "/city/harbour-ferry/")
    assert served.app.calls == 3


def test_memory_stays_within_the_budget_by_dropping_the_least_recently_read(served, story, settings):
    paths = ["/", "/city/", "/journalists/mina-okafor/", "/city/harbour-ferry/"]
    for path in paths:
        get(served, path)
    assert len(served.pages) == 4
    get(served, "/")  # read again: now the most recently read
    sizes = {key[7]: page.size for key, page in served.pages.items()}
    settings.BYLINE_PAGE_CACHE_MEMORY_MB = (sizes["/"] + sizes["/city/harbour-ferry/"] + 1) / 2**20
    served.forget(next(key for key in served.pages if key[7] == "/city/harbour-ferry/"))
    get(served, "/city/harbour-ferry/")  # kept again: the least recently read make room
    kept = {key[7] for key in served.pages}
    assert kept == {"/", "/city/harbour-ferry/"}
    assert served.bytes == sum(page.size for page in served.pages.values())
    settings.BYLINE_PAGE_CACHE_MEMORY_MB = 0
    get(served, "/city/")
    assert "/city/" not in {key[7] for key in served.pages}
