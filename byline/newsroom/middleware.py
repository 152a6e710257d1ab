from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from byline.newsroom.models import ArticleRedirect


class ArticleRedirectMiddleware:
    """Answer a 404 with a 301 when the address once belonged to an article that readers can still see.

    Like django.contrib.redirects, it only looks when nothing else matched, so it costs nothing on good URLs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # WordPress's `/?p=123` addresses land on our home page, so they are looked up before it answers.
        legacy = request.GET.keys() & LEGACY_QUERY_KEYS
        if request.path == "/" and request.method in ("GET", "HEAD") and legacy:
            redirect = _find_redirect([request.get_full_path()])
            if redirect is not None:
                return redirect
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        return _find_redirect([request.get_full_path(), request.path]) or response


LEGACY_QUERY_KEYS = {"p", "page_id"}


def _find_redirect(candidates: list[str]) -> HttpResponsePermanentRedirect | None:
    redirect = (
        ArticleRedirect.objects.select_related("article__section")
        .filter(old_path__in=candidates, article__in=_live_articles())
        .first()
    )
    if redirect is None:
        return None
    return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())


def _live_articles():
    from byline.newsroom.models import Article

    return Article.objects.live().values("pk")
