"""The comment limits on Redis, where the limiter counts every window in one round trip (a pipeline)
instead of Django's cache calls. Runs when REDIS_URL names a reachable Redis; keys get a prefix of their
own and are deleted afterwards."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from byline.comments import services
from byline.core import throttle
from byline.core.errors import RateLimited
from tests.factories import ArticleFactory, UserFactory
from tests.ops.stack import redis_reachable

REDIS_URL = os.environ.get("REDIS_URL", "")
NOW = 1_800_000_030.0  # 30 s into a minute
pytestmark = pytest.mark.skipif(not redis_reachable(REDIS_URL), reason="needs a reachable Redis in REDIS_URL")


@pytest.fixture
def redis_cache(monkeypatch):
    from types import SimpleNamespace

    from byline.accounts import ratelimit

    # Inside one fixed window, so a minute boundary between two posts cannot reset the count.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: NOW))
    prefix = f"test-limits-{uuid.uuid4().hex[:8]}"
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    with override_settings(CACHES={"default": {**backend, "KEY_PREFIX": prefix}}):
        yield
        client = caches["default"]._cache.get_client(write=True)
        stale = list(client.scan_iter(f"{prefix}:*"))
        if stale:
            client.delete(*stale)


@pytest.mark.django_db
@override_settings(
    BYLINE_COMMENT_POLICY="byline.comments.policy.approve_all", BYLINE_COMMENT_RATE_PER_MINUTE=2
)
def test_the_third_comment_in_a_minute_is_refused_with_the_wait(redis_cache):
    reader, article = UserFactory(), ArticleFactory()
    for n in range(2):
        services.post_comment(author=reader, article=article, body_source=f"Point number {n} on the ferry.")
    with pytest.raises(RateLimited) as refused:
        services.post_comment(author=reader, article=article, body_source="A third point on the ferry.")
    assert "last minute" in refused.value.message
    assert refused.value.retry_after == 30
    assert reader.comments.count() == 2


@pytest.mark.django_db
@override_settings(BYLINE_COMMENT_RATE_PER_MINUTE=100, BYLINE_COMMENT_RATE_PER_DAY=1)
def test_the_daily_limit_answers_with_its_own_message_and_wait(redis_cache):
    reader, article = UserFactory(), ArticleFactory()
    services.post_comment(author=reader, article=article, body_source="My one comment for today.")
    with pytest.raises(RateLimited) as refused:
        services.post_comment(author=reader, article=article, body_source="And another one.")
    assert "today's limit" in refused.value.message
    assert refused.value.retry_after == 86400 - NOW % 86400


def test_counters_made_in_one_round_trip_read_back_as_numbers(redis_cache):
    now = 1_000_030.0  # 10 s into a 60 s window
    events = [("t:pair", 2, 60), ("t:pair-day", 5, 86400)]
    assert throttle.hit_many(events, now=now) is None
    assert throttle.hit_many(events, now=now) is None
    assert throttle.count("t:pair", 60, now=now) == 2
    assert throttle.wait_if_used_up("t:pair", 2, 60, now=now) == 50
    assert throttle.hit_many(events, now=now) == 50
