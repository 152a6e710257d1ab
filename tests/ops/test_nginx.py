"""deploy/nginx/byline.conf in front of a real app server: it caches anonymous pages, lets signed-in readers
through, honours purges, and serves pre-compressed static files without compressing them again.

Needs Debian's nginx, PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): the app server and this test process
must share the database and the page cache.
"""

import gzip
import http.client
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import ArticleFactory, SectionFactory
from tests.ops.stack import free_port, redis_reachable, start_gunicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "deploy"))
from localstack import render_nginx, start_nginx  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("REDIS_URL", "")
if shutil.which("nginx") is None:
    pytest.skip("needs Debian's nginx (apt-get install nginx)", allow_module_level=True)
if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
    pytest.skip("needs DATABASE_URL=postgres://… shared with the app server", allow_module_level=True)
if not redis_reachable(REDIS_URL):
    pytest.skip(f"needs a reachable Redis in REDIS_URL ({REDIS_URL!r})", allow_module_level=True)


def database_url(db: dict) -> str:
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def serve(tmp_path_factory, *, page_files: bool):
    """gunicorn behind nginx rendered from deploy/nginx/byline.conf; yields nginx's port (and the page files'
    directory, which the app writes only when `page_files`)."""
    from byline.web.published import nginx_headers

    db = settings.DATABASES["default"]
    nginx_port = free_port()
    base = tmp_path_factory.mktemp("nginx")
    pages = base / "pages"
    env = {"DATABASE_URL": database_url(db), "REDIS_URL": REDIS_URL, "DB_CONN_MAX_AGE": "0"}
    if page_files:
        env |= {"BYLINE_PAGE_FILES_DIR": str(pages), "BYLINE_SITE_URL": "http://127.0.0.1"}
    app = start_gunicorn(env=env, workers=2)
    static = base / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "site.abc123.css").write_text("body { color: black; }\n" * 50)
    # A different body in the .gz proves nginx sent the file compressed ahead of time.
    (static / "css" / "site.abc123.css.gz").write_bytes(gzip.compress(b"/* precompressed */\n"))
    main = render_nginx(
        base / "nginx",
        upstream=f"127.0.0.1:{app.port}",
        port=nginx_port,
        static_root=static,
        media_root=base,
        pages_root=pages,
        page_headers=nginx_headers(),
        page_files=page_files,
    )
    checked = subprocess.run(["nginx", "-t", "-p", str(main.parent), "-c", str(main)], capture_output=True)
    assert checked.returncode == 0, checked.stderr.decode()
    nginx = start_nginx(main)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            request(nginx_port, "GET", "/static/css/site.abc123.css")
            break
        except OSError:
            time.sleep(0.1)
    yield nginx_port, pages
    nginx.terminate()
    nginx.wait(timeout=10)
    app.stop()


@pytest.fixture(scope="module")
def front(django_db_setup, tmp_path_factory):
    """The proxy cache alone (no page files)."""
    for port, _ in serve(tmp_path_factory, page_files=False):
        yield port


@pytest.fixture(scope="module")
def front_with_files(django_db_setup, tmp_path_factory):
    yield from serve(tmp_path_factory, page_files=True)


def request(port: int, method: str, path: str, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request(method, path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body.decode(errors="replace")


@pytest.fixture
def story():
    return ArticleFactory(
        headline="Harbour ferry returns", slug="harbour-ferry", section=SectionFactory(slug="city")
    )


def test_nginx_caches_anonymous_pages_one_entry_per_encoding(front, story):
    for encoding in ({"Accept-Encoding": "gzip"}, {}):
        statuses = [
            request(front, "GET", "/city/harbour-ferry/", encoding)[1]["x-cache-status"] for _ in range(3)
        ]
        assert statuses[0] == "MISS"
        assert statuses[-1] == "HIT"
    _, headers, _ = request(front, "GET", "/city/harbour-ferry/", {"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip"


def test_signed_in_readers_bypass_nginx_cache(front, story):
    request(front, "GET", "/city/harbour-ferry/")
    request(front, "GET", "/city/harbour-ferry/")
    _, headers, _ = request(front, "GET", "/city/harbour-ferry/", {"Cookie": "sessionid=not-a-real-session"})
    assert headers["x-cache-status"] == "BYPASS"


def test_a_signed_in_readers_page_is_compressed_once_by_the_app_not_again_by_nginx(front, story):
    from django.test import Client

    from tests.factories import UserFactory

    client = Client()
    client.force_login(
        UserFactory(display_name="Pat Reader"), backend="django.contrib.auth.backends.ModelBackend"
    )
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = {"Cookie": cookie, "Accept-Encoding": "gzip"}
    pages = [request(front, "GET", "/city/harbour-ferry/", headers) for _ in range(3)]  # the shell is kept
    status, answer, html = pages[-1]
    assert status == 200 and answer["content-encoding"] == "gzip"
    # request() unpacks once: a page gzipped twice would still be binary here.
    assert html.startswith("<!doctype html>") and "Pat Reader" in html and "Harbour ferry returns" in html


def test_an_edit_purges_nginx_so_readers_see_it_at_once(front, story, settings):
    settings.BYLINE_CACHE_PURGE_BACKEND = "byline.web.purge.NginxRefreshPurgeBackend"
    settings.BYLINE_CACHE_PURGE_URLS = [f"http://127.0.0.1:{front}"]
    settings.BYLINE_CACHE_PURGE_ASYNC = False
    settings.BYLINE_SITE_URL = "http://127.0.0.1"
    for encoding in ({"Accept-Encoding": "gzip"}, {}):
        request(front, "GET", "/city/harbour-ferry/", encoding)
        assert request(front, "GET", "/city/harbour-ferry/", encoding)[1]["x-cache-status"] == "HIT"
    story.headline = "Harbour ferry returns for the summer"
    story.save()  # autocommit: invalidation and purge run now
    for encoding in ({"Accept-Encoding": "gzip"}, {}):
        _, headers, body = request(front, "GET", "/city/harbour-ferry/", encoding)
        assert "Harbour ferry returns for the summer" in body
        assert headers["x-cache-status"] == "HIT"  # the purge stored the fresh page


def test_a_refresh_request_from_a_trusted_address_bypasses_the_cache(front, story):
    request(front, "GET", "/city/harbour-ferry/")
    assert request(front, "GET", "/city/harbour-ferry/")[1]["x-cache-status"] == "HIT"
    _, headers, _ = request(front, "GET", "/city/harbour-ferry/", {"X-Byline-Refresh": "1"})
    assert headers["x-cache-status"] == "BYPASS"
    # From other addresses the header is ignored: the geo block lists only the app servers.
    site = (Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "byline.conf").read_text()
    assert '"1:1" 1;' in site and "default 0;" in site


def test_static_files_are_sent_precompressed_with_a_long_lifetime(front):
    status, headers, body = request(front, "GET", "/static/css/site.abc123.css", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert body == "/* precompressed */\n"
    assert "immutable" in headers["cache-control"] and "max-age=31536000" in headers["cache-control"]
    _, _, plain = request(front, "GET", "/static/css/site.abc123.css")
    assert plain.startswith("body { color: black; }")


@pytest.fixture
def page_files(front_with_files, settings):
    """This test process invalidates like an app server with page files in the same directory."""
    from byline.web import published

    port, pages = front_with_files
    settings.BYLINE_PAGE_FILES_DIR = str(pages)
    settings.BYLINE_SITE_URL = "http://127.0.0.1"
    # Each test empties Redis, which the app servers notice within seconds (published.tick); here at once,
    # then a second for nginx to let go of the files it kept open (open_file_cache_valid 1s).
    published.tick()
    time.sleep(1.1)
    return port, pages


def test_with_page_files_nginx_sends_the_apps_page_as_a_file_with_the_apps_headers(page_files, story):
    port, pages = page_files
    _, from_app, app_body = request(port, "GET", "/city/harbour-ferry/", {"Accept-Encoding": "gzip"})
    assert from_app["x-cache-status"] == "BYPASS"  # no proxy-cache copy of a page that is a file
    assert (pages / "city" / "harbour-ferry" / "index.html").is_file()
    for encoding in ({"Accept-Encoding": "gzip"}, {}):
        status, headers, body = request(port, "GET", "/city/harbour-ferry/", encoding)
        assert (status, headers["x-cache-status"]) == (200, "FILE")
        assert body == app_body
        assert headers["content-type"] == "text/html; charset=utf-8"
        for name in (
            "content-security-policy",
            "x-content-type-options",
            "referrer-policy",
            "x-frame-options",
        ):
            assert headers[name] == from_app[name], name
        assert headers["cache-control"] == from_app["cache-control"]
    assert headers.get("content-encoding") is None
    _, headers, _ = request(port, "GET", "/city/harbour-ferry/", {"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Cookie, Accept-Encoding"
    revalidate = {"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]}
    assert request(port, "GET", "/city/harbour-ferry/", revalidate)[0] == 304


def test_with_page_files_signed_in_readers_queries_and_posts_reach_the_app(page_files, story):
    port, _ = page_files
    request(port, "GET", "/city/harbour-ferry/")
    assert request(port, "GET", "/city/harbour-ferry/")[1]["x-cache-status"] == "FILE"
    _, headers, _ = request(port, "GET", "/city/harbour-ferry/", {"Cookie": "sessionid=not-a-real-session"})
    assert headers["x-cache-status"] == "BYPASS"
    request(port, "GET", "/city/harbour-ferry/?sort=oldest")
    _, headers, _ = request(port, "GET", "/city/harbour-ferry/?sort=oldest")
    assert headers["x-cache-status"] == "HIT"  # the proxy cache keeps what cannot be a file
    status, headers, _ = request(port, "POST", "/city/harbour-ferry/")
    assert headers.get("x-cache-status") != "FILE" and status != 200
    # Addresses that can never be files (no trailing "/") keep the proxy cache.
    assert request(port, "GET", "/robots.txt")[1]["x-cache-status"] != "BYPASS"


def test_with_page_files_an_edit_reaches_readers_within_a_second(page_files, story):
    port, pages = page_files
    request(port, "GET", "/city/harbour-ferry/")
    assert request(port, "GET", "/city/harbour-ferry/")[1]["x-cache-status"] == "FILE"
    story.headline = "Harbour ferry returns for the summer"
    story.save()  # autocommit: the tokens change and the file goes now
    assert not (pages / "city" / "harbour-ferry" / "index.html").exists()
    # Each nginx worker checks the files it keeps open once a second (open_file_cache_valid 1s).
    time.sleep(1.05)
    answers = [request(port, "GET", "/city/harbour-ferry/") for _ in range(6)]
    assert all("Harbour ferry returns for the summer" in body for _, _, body in answers)
    assert answers[-1][1]["x-cache-status"] == "FILE"  # written again, fresh
