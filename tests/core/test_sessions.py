"""byline.core.sessions: Django's cached_db sessions, read in the round trip a signed-in reader's article
page makes for its version tokens — one cache read per page instead of two, and the same sign-in."""

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore as DjangoStore
from django.core.cache import cache
from django.test import Client

from byline.core.sessions import SessionStore
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def engine(settings):
    settings.SESSION_ENGINE = "byline.core.sessions"


@pytest.fixture
def reader():
    client, user = Client(), UserFactory(display_name="Pat Reader")
    client.force_login(user)
    return client


def cache_reads(monkeypatch) -> list[str]:
    """The reads the page asks the cache for (the local-memory cache's get_many calls get per key)."""
    reads: list[str] = []
    inside = []
    for name in ("get", "get_many"):
        original = getattr(cache, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            if not inside:
                reads.append(_name)
            inside.append(_name)
            try:
                return _original(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(cache, name, counted)
    return reads


def test_a_signed_in_readers_article_page_reads_the_cache_once(reader, monkeypatch):
    article = ArticleFactory()
    reader.get(article.get_absolute_url())  # parts rendered and kept
    reads = cache_reads(monkeypatch)
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "Pat Reader" in page  # signed in, from the session read with the tokens
    assert reads == ["get_many"]


def test_a_session_missing_from_the_cache_is_read_from_the_database(reader):
    article = ArticleFactory()
    reader.get(article.get_absolute_url())
    cache.delete(SessionStore(reader.cookies["sessionid"].value).cache_key)
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "Pat Reader" in page


def test_sessions_written_by_djangos_store_are_read_and_the_other_way_round():
    ours = SessionStore()
    ours["reader"] = "pat"
    ours.save()
    assert DjangoStore(ours.session_key)["reader"] == "pat"
    theirs = DjangoStore()
    theirs["reader"] = "sam"
    theirs.save()
    assert SessionStore(theirs.session_key)["reader"] == "sam"


def test_nothing_is_asked_for_a_loaded_session_one_without_a_key_or_another_cache(settings):
    assert SessionStore().prefetch_key("default") is None  # no key yet: nothing to read
    stored = SessionStore()
    stored["reader"] = "pat"
    stored.save()
    fresh = SessionStore(stored.session_key)
    assert fresh.prefetch_key("default") == fresh.cache_key
    assert fresh.prefetch_key("sessions") is None
    fresh.prefetched({"reader": "pat (cached)"})
    assert fresh["reader"] == "pat (cached)"
    assert fresh.prefetch_key("default") is None  # loaded now


def test_data_read_for_one_key_is_never_used_for_another():
    pat, sam = SessionStore(), SessionStore()
    pat["reader"], sam["reader"] = "pat", "sam"
    pat.save(), sam.save()
    store = SessionStore(pat.session_key)
    store.prefetched({"reader": "pat"})
    store._session_key = sam.session_key  # the key changed before the session was read
    assert store["reader"] == "sam"
