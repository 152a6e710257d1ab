"""A URLconf for the error-middleware tests: views that raise each kind of BylineError."""

from django.http import HttpResponse
from django.urls import path

from byline import urls as site_urls
from byline.core import errors
from byline.core.throttle import rate_limit


def raise_error(request, kind):
    exc = {
        "invalid": errors.InvalidInput("That date is not a date."),
        "forbidden": errors.PermissionDenied(),
        "missing": errors.NotFound("No such page of letters."),
        "conflict": errors.Conflict(),
        "limited": errors.RateLimited("Too many letters today.", retry_after=42),
        "unavailable": errors.ServiceUnavailable(),
    }[kind]
    raise exc


@rate_limit("test-echo", limit=2, period=60, methods=("POST",))
def echo(request):
    return HttpResponse("ok")


def boom(request):
    raise ValueError("not a BylineError")


# The site's own routes come after ours: base.html links to feeds, accounts and funding by name.
urlpatterns = [
    path("raise/<str:kind>/", raise_error),
    path("echo/", echo),
    path("boom/", boom),
    *site_urls.urlpatterns,
]
