import pytest

from byline.core import throttle
from byline.core.errors import RateLimited


@pytest.fixture
def error_middleware(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "byline.core.error_middleware.BylineErrorMiddleware"]
    settings.ROOT_URLCONF = "tests.security.error_urls"
    return settings


def test_events_within_the_limit_pass_and_the_next_one_is_told_when_to_come_back():
    now = 1_000_040.0  # 20 s into a 60 s window
    assert [throttle.hit("t:a", 3, 60, now=now) for _ in range(3)] == [None, None, None]
    assert throttle.hit("t:a", 3, 60, now=now) == 40


def test_keys_are_counted_separately():
    throttle.hit("t:one", 1, 60)
    assert throttle.hit("t:two", 1, 60) is None
    assert throttle.hit("t:one", 1, 60) is not None


def test_a_new_window_starts_from_zero():
    assert throttle.hit("t:w", 1, 60, now=120.0) is None
    assert throttle.hit("t:w", 1, 60, now=121.0) is not None
    assert throttle.hit("t:w", 1, 60, now=180.0) is None


def test_a_limit_of_zero_means_no_limit():
    assert all(throttle.hit("t:z", 0, 60) is None for _ in range(50))


def test_a_limit_may_name_a_setting_read_at_call_time(settings, monkeypatch):
    from byline.core.conf import SETTINGS, Setting

    # Registered for this test only, so the check that every setting is documented never sees it.
    monkeypatch.setitem(SETTINGS, "BYLINE_TEST_ONLY_LIMIT", Setting(2, "A limit used by tests."))
    settings.BYLINE_TEST_ONLY_LIMIT = 1
    assert throttle.hit("t:s", "BYLINE_TEST_ONLY_LIMIT", 60) is None
    assert throttle.hit("t:s", "BYLINE_TEST_ONLY_LIMIT", 60) is not None


def test_throttle_raises_rate_limited_with_the_wait():
    throttle.throttle("t:r", 1, 60)
    with pytest.raises(RateLimited) as caught:
        throttle.throttle("t:r", 1, 60, message="Easy there.")
    assert 1 <= caught.value.retry_after <= 60
    assert caught.value.message == "Easy there."


def test_reset_forgets_the_count():
    throttle.throttle("t:reset", 1, 60)
    throttle.reset("t:reset", 60)
    throttle.throttle("t:reset", 1, 60)


def test_a_broken_cache_lets_requests_through(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(throttle.cache, "add", broken)
    assert throttle.hit("t:down", 1, 60) is None


@pytest.mark.django_db
def test_a_limited_view_answers_429_with_retry_after(client, error_middleware):
    assert client.post("/echo/").status_code == 200
    assert client.post("/echo/").status_code == 200
    response = client.post("/echo/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Slow down" in response.content.decode()
    assert client.get("/echo/").status_code == 200  # only POSTs are counted


@pytest.mark.django_db
def test_the_limit_is_per_network_behind_a_trusted_proxy(client, error_middleware):
    error_middleware.BYLINE_TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(2):
        client.post("/echo/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.4")
    same_network = client.post("/echo/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.99")
    other_network = client.post("/echo/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert same_network.status_code == 429
    assert other_network.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "status", "text"),
    [
        ("invalid", 400, "That date is not a date."),
        ("forbidden", 403, "You are not allowed to do that."),
        ("missing", 404, "No such page of letters."),
        ("conflict", 409, "Reload and try again."),
        ("limited", 429, "Too many letters today."),
        ("unavailable", 503, "not available right now"),
    ],
)
def test_each_byline_error_becomes_its_own_page(client, error_middleware, kind, status, text):
    response = client.get(f"/raise/{kind}/")
    assert response.status_code == status
    assert text in response.content.decode()
    assert "<h1" in response.content.decode()


@pytest.mark.django_db
def test_rate_limited_and_unavailable_say_when_to_come_back(client, error_middleware):
    assert client.get("/raise/limited/")["Retry-After"] == "42"
    assert int(client.get("/raise/unavailable/")["Retry-After"]) > 0
    assert client.get("/raise/limited/")["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_json_clients_get_the_error_as_json(client, error_middleware):
    response = client.get("/raise/limited/", HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert response.json() == {"ok": False, "error": "Too many letters today.", "code": "rate_limited"}
    assert response["Retry-After"] == "42"


@pytest.mark.django_db
def test_other_exceptions_are_left_to_django(client, error_middleware):
    client.raise_request_exception = True
    with pytest.raises(ValueError):
        client.get("/boom/")


