"""Byline's Redis cache backend: Django's, with one client per pool instead of one per call."""

import os
import threading
import uuid

import pytest

from byline.core.cache import RedisCache
from tests.ops.stack import redis_reachable

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not redis_reachable(REDIS_URL), reason="needs a reachable Redis in REDIS_URL")


@pytest.fixture
def backend():
    prefix = f"test-cache-{uuid.uuid4().hex[:8]}"
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    yield cache
    client = cache._cache.get_client(write=True)
    stale = list(client.scan_iter(f"{prefix}:*"))
    if stale:
        client.delete(*stale)


def test_values_round_trip_as_with_djangos_backend(backend):
    backend.set("page", {"body": b"<p>hello</p>", "versions": ["a1", None]}, timeout=60)
    backend.set_many({"n": 41, "s": "text"}, timeout=60)
    assert backend.get("page") == {"body": b"<p>hello</p>", "versions": ["a1", None]}
    assert backend.incr("n") == 42
    assert backend.get_many(["n", "s", "missing"]) == {"n": 42, "s": "text"}
    assert backend.add("s", "other") is False
    backend.delete("s")
    assert backend.get("s") is None


def test_one_client_serves_every_call_and_every_thread(backend):
    first = backend._cache.get_client(write=True)
    assert backend._cache.get_client(write=True) is first
    assert backend._cache.get_client(write=False) is first  # one server: reads and writes share its pool
    errors = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                backend.set(f"t{n}-{i}", i, timeout=60)
                assert backend.get(f"t{n}-{i}") == i
        except Exception as error:  # noqa: BLE001  (reported to the test below)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert backend.get_many([f"t{n}-49" for n in range(8)]) == {f"t{n}-49": 49 for n in range(8)}


def test_replies_are_parsed_by_hiredis(backend):
    """redis-py parses replies in C when hiredis is installed (a dependency): about a fifth less CPU per
    round trip than its Python parser, and every page view and comment makes several."""
    from redis.utils import HIREDIS_AVAILABLE

    assert HIREDIS_AVAILABLE
    client = backend._cache.get_client(write=True)
    connection = client.connection_pool.get_connection()
    try:
        assert type(connection._parser).__name__ == "_HiredisParser"
    finally:
        client.connection_pool.release(connection)
