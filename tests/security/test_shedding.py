import time

from django.http import HttpResponse
from django.test import RequestFactory

from byline.core.error_middleware import LoadSheddingMiddleware, queued_ms


def served(request):
    return HttpResponse("served")


def stamped(seconds_ago: float, fmt: str = "t={:.3f}"):
    return RequestFactory().get("/", HTTP_X_REQUEST_START=fmt.format(time.time() - seconds_ago))


def test_a_request_that_waited_too_long_is_shed_with_retry_after(settings):
    settings.BYLINE_SHED_QUEUE_MS = 1000
    settings.BYLINE_SHED_RETRY_AFTER = 7
    response = LoadSheddingMiddleware(served)(stamped(3.0))
    assert response.status_code == 503
    assert response["Retry-After"] == "7"
    assert response["Cache-Control"] == "no-store"


def test_a_fresh_request_is_served(settings):
    settings.BYLINE_SHED_QUEUE_MS = 1000
    assert LoadSheddingMiddleware(served)(stamped(0.1)).content == b"served"


def test_requests_without_a_stamp_or_with_shedding_off_are_served(settings):
    settings.BYLINE_SHED_QUEUE_MS = 1000
    assert LoadSheddingMiddleware(served)(RequestFactory().get("/")).status_code == 200
    assert (
        LoadSheddingMiddleware(served)(RequestFactory().get("/", HTTP_X_REQUEST_START="t=soon")).status_code
        == 200
    )
    settings.BYLINE_SHED_QUEUE_MS = 0
    assert LoadSheddingMiddleware(served)(stamped(60)).status_code == 200


def test_the_stamp_is_read_in_seconds_milliseconds_or_microseconds():
    now = 1_700_000_010.0
    for raw in ("t=1700000000.000", "1700000000000", "t=1700000000000000"):
        request = RequestFactory().get("/", HTTP_X_REQUEST_START=raw)
        assert round(queued_ms(request, now=now)) == 10_000, raw
