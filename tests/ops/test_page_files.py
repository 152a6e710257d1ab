"""Page files (byline/web/published.py): anonymous pages written where nginx sends them like static files,
deleted the moment a change makes them stale, and before a scheduled story goes live.

Needs Redis (REDIS_URL, else a local one on 127.0.0.1:6379): the lists of files live there.
"""

import gzip
import os
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from byline.comments.models import Comment
from byline.comments.services import comment_approve, post_comment
from byline.newsroom.models import Section
from byline.web import caching, published
from tests.factories import ArticleFactory, UserFactory
from tests.ops.stack import redis_reachable

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/12"
ARTICLE = "/city/harbour-ferry/"


@pytest.fixture
def pages(settings, tmp_path):
    """Page files on, in a fresh directory, with the page cache on Redis; yields the directory."""
    if not redis_reachable(REDIS_URL):
        pytest.skip(f"needs Redis at {REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "byline.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-page-files-{os.getpid()}",
        }
    }
    from django.core.cache import cache

    cache.clear()
    settings.BYLINE_PAGE_FILES_DIR = str(tmp_path / "pages")
    settings.BYLINE_SITE_URL = "http://testserver"
    published._started.clear()
    yield tmp_path / "pages"
    cache.clear()


def file_of(root, path: str):
    return root / published.relative_file(path)


def page(response) -> bytes:
    content = response.content
    return gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content


@pytest.fixture
def strict_umask():
    previous = os.umask(0o077)
    yield
    os.umask(previous)


def test_an_anonymous_page_is_written_as_the_same_page_plain_and_gzipped(pages, story, strict_umask):
    reader = Client()
    first = reader.get(ARTICLE)
    assert first.status_code == 200
    written = file_of(pages, ARTICLE)
    assert written.read_bytes() == page(first)
    assert gzip.decompress(written.with_name("index.html.gz").read_bytes()) == page(first)
    assert b"Harbour ferry returns" in written.read_bytes()
    # nginx's workers run as another user: they read (whatever the umask), only the app writes
    assert oct(written.stat().st_mode & 0o777) == "0o644"
    assert oct(written.parent.stat().st_mode & 0o777) == oct(pages.stat().st_mode & 0o777) == "0o755"
    assert not [p for p in written.parent.iterdir() if p.name.endswith(".tmp")]
    reader.get("/")
    assert b"Harbour ferry returns" in (pages / "index.html").read_bytes()


def test_no_file_for_query_strings_sessions_other_hosts_or_unpublishable_names(pages, story, settings):
    Client().get(ARTICLE + "?sort=oldest")
    signed_in = Client()
    signed_in.force_login(UserFactory())
    signed_in.get(ARTICLE)
    Client(HTTP_HOST="localhost").get(ARTICLE)
    assert not file_of(pages, ARTICLE).exists()
    settings.BYLINE_SITE_URL = "https://testserver"  # pages for the https address only
    Client().get(ARTICLE)
    assert not file_of(pages, ARTICLE).exists()
    for unsafe in ("/city/../etc/", "/city/.hidden/", "/city/story", "/a//b/", "relative/"):
        assert published.relative_file(unsafe) is None, unsafe
    assert published.relative_file("/") == "index.html"


def test_an_edit_deletes_the_files_of_every_page_it_shows_on_at_once(pages, story, on_commit):
    reader = Client()
    for path in ("/", "/city/", ARTICLE, "/journalists/mina-okafor/"):
        reader.get(path)
        assert file_of(pages, path).exists(), path
    with on_commit():
        story.headline = "Harbour ferry returns for the summer"
        story.save()
    for path in ("/", "/city/", ARTICLE, "/journalists/mina-okafor/"):
        assert not file_of(pages, path).exists(), path
        assert not file_of(pages, path).with_name("index.html.gz").exists(), path
    reader.get(ARTICLE)
    assert b"Harbour ferry returns for the summer" in file_of(pages, ARTICLE).read_bytes()


def test_a_story_in_the_same_section_lists_the_edited_one_and_loses_its_file_too(pages, story, on_commit):
    ArticleFactory(section=story.section, slug="bridge-repairs", headline="Bridge repairs")
    neighbour_path = "/city/bridge-repairs/"
    Client().get(neighbour_path)
    assert file_of(pages, neighbour_path).exists()
    with on_commit():
        story.headline = "Harbour ferry returns for the summer"
        story.save()
    assert not file_of(pages, neighbour_path).exists()


def test_a_held_comment_keeps_the_file_and_approving_it_deletes_it(pages, story, on_commit, settings):
    settings.BYLINE_COMMENT_POLICY = "tests.ops.test_page_cache.hold_everything"
    Client().get(ARTICLE)
    with on_commit():
        held = post_comment(author=UserFactory(), article=story, body_source="A ferry at last.").comment
    assert held.status == Comment.Status.PENDING
    assert file_of(pages, ARTICLE).exists()  # only its author sees it: anonymous readers' page is unchanged
    with on_commit():
        comment_approve(comment=held)
    assert not file_of(pages, ARTICLE).exists()
    Client().get(ARTICLE)
    assert b"A ferry at last." in file_of(pages, ARTICLE).read_bytes()


def test_a_navigation_change_deletes_every_file(pages, story, on_commit):
    for path in ("/", ARTICLE):
        Client().get(path)
    with on_commit():
        Section.objects.create(name="Sport", slug="sport")
    assert not list(pages.rglob("index.html"))


def test_a_change_that_lands_while_a_page_is_written_removes_that_page(pages, story, monkeypatch):
    real_write = published._write

    def write_then_change(target, content):
        real_write(target, content)
        if target.name == "index.html":  # the page is in place: an editor's change commits now
            caching.invalidate_paths({ARTICLE})

    monkeypatch.setattr(published, "_write", write_then_change)
    response = Client().get(ARTICLE)
    assert response.status_code == 200
    assert not file_of(pages, ARTICLE).exists()


def test_a_page_made_under_old_tokens_is_never_written(pages, story):
    from django.core.cache import cache
    from django.test import RequestFactory

    Client().get(ARTICLE)
    request = RequestFactory().get(ARTICLE)
    entry = cache.get(caching._entry_key(request))
    caching.invalidate_paths({ARTICLE})
    assert not file_of(pages, ARTICLE).exists()
    assert published.publish(request, entry) is False
    assert not file_of(pages, ARTICLE).exists()


def test_files_are_gone_before_a_scheduled_story_goes_live(pages, story, settings):
    settings.BYLINE_PAGE_CACHE_TIMEOUT = 3 * 3600
    soon = timezone.now() + timedelta(hours=1)
    ArticleFactory(section=story.section, slug="tomorrow", headline="Scheduled", published_at=soon)
    Client().get("/city/")
    assert file_of(pages, "/city/").exists()
    due = soon.timestamp() - published.margin()
    assert published.sweep(now=due - 5) == 0
    assert file_of(pages, "/city/").exists()
    assert published.sweep(now=due + 1) >= 1
    assert not file_of(pages, "/city/").exists()


def test_no_file_when_a_scheduled_story_goes_live_within_the_margin(pages, story):
    ArticleFactory(
        section=story.section, slug="any-minute", published_at=timezone.now() + timedelta(seconds=30)
    )
    response = Client().get("/city/")
    assert response.status_code == 200
    assert not file_of(pages, "/city/").exists()


def test_every_file_expires_with_the_page_cache_timeout(pages, story, settings):
    settings.BYLINE_PAGE_CACHE_TIMEOUT = 60
    Client().get(ARTICLE)
    assert published.sweep(now=time.time() + 30) == 0
    assert published.sweep(now=time.time() + 61) >= 1
    assert not file_of(pages, ARTICLE).exists()


def test_a_new_release_deletes_the_old_ones_files_and_an_old_release_stops_writing(pages, story, monkeypatch):
    Client().get(ARTICLE)
    assert file_of(pages, ARTICLE).exists()
    monkeypatch.setattr(published, "_release", ["a-newer-release"])
    published.start()
    assert not file_of(pages, ARTICLE).exists()
    monkeypatch.setattr(published, "_release", ["the-old-release"])
    Client().get(ARTICLE)  # an old worker still serving during the deploy
    assert not file_of(pages, ARTICLE).exists()


def test_nginx_sends_the_headers_the_app_sends_with_the_same_page(pages, story):
    Client().get(ARTICLE)
    cached = Client().get(ARTICLE)
    assert cached["X-Byline-Cache"] == "HIT"
    expected = dict(published.page_headers())
    for name in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
    ):
        assert expected[name] == cached[name], name
    app_headers = {name.lower() for name in cached.headers}
    per_response = {
        "content-type",
        "content-length",
        "etag",
        "last-modified",
        "x-byline-cache",
        "vary",
        "content-encoding",
        "cache-control",
    }
    assert app_headers - per_response <= {name.lower() for name in expected}
    assert expected["Cache-Control"] == cached["Cache-Control"]
    assert expected["Vary"] == cached["Vary"] == "Cookie, Accept-Encoding"


def test_the_command_prints_nginx_lines_and_clears_files(pages, story):
    out = StringIO()
    call_command("page_files", "headers", stdout=out)
    assert 'add_header Content-Security-Policy "default-src' in out.getvalue()
    assert 'add_header X-Cache-Status "FILE" always;' in out.getvalue()
    Client().get(ARTICLE)
    Client().get("/")
    out = StringIO()
    call_command("page_files", "clear", stdout=out)
    assert "Deleted 2 page file(s)." in out.getvalue()
    assert not list(pages.rglob("index.html*"))


def test_without_the_setting_nothing_is_written_and_the_command_says_why(
    settings, story, tmp_path, monkeypatch
):
    settings.BYLINE_PAGE_FILES_DIR = ""
    monkeypatch.chdir(tmp_path)  # an empty setting taken as a path would write here, the working directory
    assert Client().get(ARTICLE).status_code == 200
    assert Client().get(ARTICLE)["X-Byline-Cache"] == "HIT"
    assert not list(tmp_path.rglob("*"))
    with pytest.raises(CommandError, match="BYLINE_PAGE_FILES_DIR is not set"):
        call_command("page_files", "sweep")


def test_check_refuses_page_files_without_redis(settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.BYLINE_PAGE_FILES_DIR = str(tmp_path)
    assert [m.id for m in published.page_files_check()] == ["byline.web.E001"]


def test_files_redis_has_forgotten_are_deleted_by_the_next_tick(pages, story):
    from django.core.cache import cache

    Client().get(ARTICLE)
    assert file_of(pages, ARTICLE).exists()
    cache.clear()  # Redis restarted: nothing could delete this file on the next change
    published.tick()
    assert not file_of(pages, ARTICLE).exists()
    Client().get(ARTICLE)  # and writing starts again
    assert file_of(pages, ARTICLE).exists()


def test_a_clearing_that_lands_while_a_page_is_written_removes_that_page(pages, story, monkeypatch):
    real_write = published._write

    def clear_then_write(target, content):
        if target.name == "index.html":  # another worker starts a new release between our checks and rename
            published._adopt(published._redis())
        real_write(target, content)

    monkeypatch.setattr(published, "_write", clear_then_write)
    assert Client().get(ARTICLE).status_code == 200
    assert not file_of(pages, ARTICLE).exists()


def test_when_redis_is_unreachable_every_file_goes_and_readers_still_get_pages(pages, story, monkeypatch):
    Client().get(ARTICLE)
    Client().get("/")
    assert file_of(pages, ARTICLE).exists()

    def unreachable():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(published, "_redis", unreachable)
    published.tick()
    assert not list(pages.rglob("index.html*"))
    assert b"Harbour ferry returns" in page(Client().get(ARTICLE))
    assert not file_of(pages, ARTICLE).exists()


def test_an_edit_deletes_its_own_page_even_when_the_lists_cannot_be_read(pages, story, monkeypatch):
    Client().get(ARTICLE)

    def unreachable():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(published, "_redis", unreachable)
    with pytest.raises(ConnectionError):
        caching.invalidate_paths({ARTICLE})
    assert not file_of(pages, ARTICLE).exists()


def test_a_file_no_list_names_is_deleted_once_older_than_the_cache_timeout(pages, story, settings):
    from django.core.cache import cache

    settings.BYLINE_PAGE_CACHE_TIMEOUT = 60
    Client().get(ARTICLE)
    Client().get("/")
    # Redis restored from an older snapshot: the epoch is there, the lists and deadlines are not.
    client = published._redis()
    client.delete(*client.scan_iter(match=cache.make_key("byline:page-files:by:*")))
    client.delete(cache.make_key("byline:page-files:deadlines"))
    old = time.time() - 120
    os.utime(file_of(pages, ARTICLE), (old, old))
    published._last_disk_pass[0] = 0.0
    published.tick()
    assert not file_of(pages, ARTICLE).exists()
    assert file_of(pages, "/").exists()  # written just now: within the timeout


def test_a_failed_write_leaves_neither_a_page_nor_a_temporary_file(pages):
    target = pages / "city" / "index.html"
    with pytest.raises(TypeError):
        published._write(target, object())
    assert list(pages.rglob("*")) == [pages / "city"]


def test_a_redis_that_may_evict_the_lists_is_reported_at_start(pages, caplog):
    client = published._redis()
    before = client.config_get("maxmemory-policy")["maxmemory-policy"]
    client.config_set("maxmemory-policy", "allkeys-lru")
    try:
        published.start()
    finally:
        client.config_set("maxmemory-policy", before)
    assert "maxmemory-policy allkeys-lru" in caplog.text


def test_an_unwritable_directory_still_serves_pages_and_logs_once(pages, story, caplog, monkeypatch):
    def full_disk(target, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(published, "_write", full_disk)
    monkeypatch.setattr(published, "_last_failure_logged", [-3600.0])
    for path in (ARTICLE, "/", "/city/"):
        assert Client().get(path).status_code == 200
    assert not list(pages.rglob("index.html"))
    assert caplog.text.count("Could not publish") == 1
