"""Turn a BylineError that escapes a view into the page (or JSON) it describes, never a 500.

Add `"byline.core.error_middleware.BylineErrorMiddleware"` to MIDDLEWARE after AuthenticationMiddleware.
A view may still catch errors itself to re-render its form; this is the net under everything else.
RateLimited answers 429 with `Retry-After`; ServiceUnavailable answers 503 with `Retry-After` too, so
well-behaved clients and proxies back off instead of hammering.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from byline.core.conf import byline_setting, register
from byline.core.errors import BylineError, RateLimited, ServiceUnavailable

register(
    "BYLINE_SHED_QUEUE_MS",
    0,
    "Answer 503 with Retry-After, at once, to a request that waited longer than this in the queue before a "
    "worker took it (from nginx's X-Request-Start header); 0 turns shedding off.",
)
register("BYLINE_SHED_RETRY_AFTER", 5, "Seconds a shed request is told to wait (Retry-After).")

logger = logging.getLogger("byline.errors")
SERVICE_UNAVAILABLE_RETRY_AFTER = 30

TITLES = {
    400: "That request was not right",
    403: "Not allowed",
    404: "We couldn't find that",
    409: "That changed in the meantime",
    429: "Slow down a little",
    503: "Back in a moment",
}


def wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(request: HttpRequest, error: BylineError) -> HttpResponse:
    """The response for `error`: its status, its message for people, its code for machines."""
    status = int(getattr(error, "status", 400) or 400)
    if wants_json(request):
        payload = {"ok": False, "error": error.message, "code": error.code}
        if error.field:
            payload["field"] = error.field
        response: HttpResponse = JsonResponse(payload, status=status)
    else:
        context = {"error": error, "status": status, "title": TITLES.get(status, "Something was not right")}
        response = render(request, "error.html", context, status=status)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(max(1, int(error.retry_after)))
    elif isinstance(error, ServiceUnavailable) or status == 503:
        response["Retry-After"] = str(getattr(error, "retry_after", SERVICE_UNAVAILABLE_RETRY_AFTER))
    if status in (429, 503):
        response["Cache-Control"] = "no-store"
    return response


class BylineErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, BylineError):
            return None  # Django's own handling (404, 403, 500 pages)
        logger.info("%s %s -> %s (%s)", request.method, request.path, exception.status, exception.code)
        return error_response(request, exception)


def queued_ms(request: HttpRequest, now: float | None = None) -> float | None:
    """How long the request waited before a worker picked it up, from `X-Request-Start: t=<seconds>` (nginx
    `t=${msec}`; plain seconds, milliseconds or microseconds since the epoch are understood too)."""
    raw = request.META.get("HTTP_X_REQUEST_START", "").strip()
    if raw.startswith("t="):
        raw = raw[2:]
    try:
        started = float(raw)
    except ValueError:
        return None
    while started > 1e11:  # milliseconds or microseconds
        started /= 1000
    now = time.time() if now is None else now
    return max(0.0, (now - started) * 1000)


class LoadSheddingMiddleware:
    """Under overload, answer what waited too long with a cheap 503 + Retry-After instead of working on it.

    A request that sat in the queue for seconds has usually been given up on by its reader; serving it
    would only make every later request wait longer. Shedding it at once drains the queue, so the site
    is normal again seconds after a spike instead of minutes. Goes first in MIDDLEWARE; touches neither the
    database nor templates. Needs the proxy to stamp requests: `proxy_set_header X-Request-Start "t=${msec}";`
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = byline_setting("BYLINE_SHED_QUEUE_MS")
        if limit > 0:
            waited = queued_ms(request)
            if waited is not None and waited > limit:
                logger.warning("Shed %s %s after %.0f ms in the queue", request.method, request.path, waited)
                response = HttpResponse(
                    "Busy right now: please try again in a few seconds.\n",
                    status=503,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(byline_setting("BYLINE_SHED_RETRY_AFTER"))
                response["Cache-Control"] = "no-store"
                return response
        return self.get_response(request)
