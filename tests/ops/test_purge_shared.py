"""With the Redis cache, the app processes share their page refreshes: one round at a time takes every page
waiting and purges each once, and no page handed over is ever dropped. Runs where the cache is Redis (the
PostgreSQL + Redis pass); each process is played here by a thread with a purger of its own."""

import threading
import time

import pytest

from byline.web import purge
from tests.ops.test_purge import RecordingBackend

DELAY = 0.3


@pytest.fixture
def shared(settings):
    rounds = purge.SharedRounds.connect()
    if rounds is None:
        pytest.skip("needs the Redis cache (REDIS_URL)")
    settings.BYLINE_CACHE_PURGE_BACKEND = "tests.ops.test_purge.RecordingBackend"
    RecordingBackend.calls = []
    rounds.client.delete(rounds.pending, rounds.round)
    yield rounds
    rounds.client.delete(rounds.pending, rounds.round)


def in_threads(*batches: set[str]) -> None:
    kwargs = {"delay": DELAY}
    threads = [threading.Thread(target=purge.purge_batch, args=(b,), kwargs=kwargs) for b in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)


def test_processes_gathering_the_same_burst_refresh_each_page_once(shared):
    # Another process's round has just run: the next may start when its lock expires.
    shared.client.set(shared.round, "other", px=int(DELAY * 1000))
    in_threads({"/", "/city/harbour-ferry/"}, {"/", "/city/"}, {"/city/harbour-ferry/"})
    assert RecordingBackend.calls == [["/", "/city/", "/city/harbour-ferry/"]]


def test_a_page_handed_over_during_a_round_is_refreshed_by_a_later_one(shared):
    purge.purge_batch({"/"}, delay=DELAY)
    started = time.monotonic()
    purge.purge_batch({"/", "/city/"}, delay=DELAY)
    assert RecordingBackend.calls == [["/"], ["/", "/city/"]]
    assert time.monotonic() - started >= DELAY * 0.8  # not before the first round's window ended
    assert shared.is_empty()


def test_without_redis_a_process_refreshes_what_it_gathered_itself(shared, monkeypatch):
    def unreachable(self, paths):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(purge.SharedRounds, "add", unreachable)
    purge.purge_batch({"/city/"}, delay=DELAY)
    assert RecordingBackend.calls == [["/city/"]]
