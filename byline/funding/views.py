from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from byline.journalists.selectors import journalist_get


@require_safe
def support_newsroom(request: HttpRequest) -> HttpResponse:
    return render(request, "funding/not_open.html", {"journalist": None})


@require_safe
def support_journalist(request: HttpRequest, slug: str) -> HttpResponse:
    journalist = journalist_get(slug=slug)
    return render(request, "funding/not_open.html", {"journalist": journalist})
