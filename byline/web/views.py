"""Reader-facing pages. Each view parses the request, calls selectors, renders; no business logic here."""

import math
import time

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from byline.comments.selectors import comment_section_for_article
from byline.comments.worker_cache import WorkerCache
from byline.core.conf import byline_setting
from byline.core.csrf import token_made
from byline.core.errors import BylineError
from byline.core.throttle import rate_limit
from byline.journalists.selectors import journalist_get
from byline.newsroom import search, selectors, structured_data
from byline.newsroom.links import absolute_url
from byline.newsroom.models import Article
from byline.web import caching, fragments, gzip_pieces, page_shell

SEARCH_LIMITED = "You are searching faster than we can answer. Wait a minute and try again."


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"blocks": selectors.home_sections()})


@require_safe
def section_detail(request: HttpRequest, section: str) -> HttpResponse:
    section_obj = selectors.section_get(slug=section)
    page = selectors.section_articles(section=section_obj, page=request.GET.get("page"))
    context = {
        "section": section_obj,
        "page_obj": page,
        "canonical_url": absolute_url(section_obj.get_absolute_url()),
        "breadcrumbs": structured_data.breadcrumbs(
            [("Home", "/"), (section_obj.name, section_obj.get_absolute_url())]
        ),
    }
    return render(request, "web/section.html", context)


@require_safe
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = selectors.tag_get(slug=slug)
    page = selectors.tag_articles(tag=tag, page=request.GET.get("page"))
    context = {"tag": tag, "page_obj": page, "canonical_url": absolute_url(tag.get_absolute_url())}
    return render(request, "web/tag.html", context)


@require_safe
def journalist_detail(request: HttpRequest, slug: str) -> HttpResponse:
    journalist = journalist_get(slug=slug)
    page = selectors.journalist_articles(journalist=journalist, page=request.GET.get("page"))
    context = {
        "journalist": journalist,
        "page_obj": page,
        "canonical_url": absolute_url(journalist.get_absolute_url()),
        "person_jsonld": structured_data.journalist_jsonld(journalist),
    }
    return render(request, "web/journalist.html", context)


@require_safe
def article_detail(request: HttpRequest, section: str, slug: str) -> HttpResponse:
    if not byline_setting("BYLINE_PAGE_CACHE"):
        article = selectors.article_for_reader(section_slug=section, slug=slug)
        return _render_article(request, article, preview=False)
    parts = fragments.article_parts(
        section_slug=section,
        slug=slug,
        render=lambda article: _render_parts(request, article),
        session=request.session,
    )
    return _render_article(request, parts.article, preview=False, parts=parts)


@staff_member_required
@require_safe
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_for_preview(pk=pk)
    if not _may_preview(request.user, article):
        raise PermissionDenied
    response = _render_article(request, article, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _may_preview(user, article: Article) -> bool:
    if user.has_perm("newsroom.publish_article"):
        return True
    if not user.has_perm("newsroom.change_article"):
        return False
    return article.created_by_id == user.pk or article.bylines.filter(journalist__user=user).exists()


@require_safe
def article_shared_preview(request: HttpRequest, token: str) -> HttpResponse:
    """A draft seen through a signed, expiring link: for an outside reviewer, no account needed."""
    try:
        article = selectors.article_for_shared_preview(token=token)
    except BylineError as error:
        response = render(
            request, "web/preview_expired.html", {"message": error.message}, status=error.status
        )
    else:
        response = _render_article(request, article, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to linked sites
    return response


def _render_article(
    request: HttpRequest, article: Article, *, preview: bool, parts: fragments.ArticleParts | None = None
) -> HttpResponse:
    """The article page; `parts` are its shared parts when they come from the cache (`fragments.py`)."""
    if parts is None:
        meta, main = _render_parts(request, article, preview=preview)
        parts = fragments.ArticleParts(article=article, meta=meta, main=main)
    # The page cache's tokens for this article and the whole site change with its comments (and with
    # imports and restores), the signed-in one with comments held for moderation: the section is cached
    # by all three (`fragments.comment_version_paths`).
    version_keys = None
    if not preview and byline_setting("BYLINE_PAGE_CACHE"):
        paths = fragments.comment_version_paths(article.get_absolute_url())
        version_keys = [caching.version_key(path) for path in paths]
    comments = comment_section_for_article(
        article=article, request=request, version_keys=version_keys, version=parts.version
    )
    if comments.rendered:  # the section came from its cache: the page around it may too
        html = page_shell.article_page(request, parts=parts, comments_html=comments.rendered)
        if html is not None:
            # The same page as last time but for the reader's CSRF token: sent gzipped from kept pieces.
            return gzip_pieces.gzip_response(request, html, varying=token_made(request))
    context = {"article": article, "preview": preview, "fragments": parts, "comments": comments}
    return render(request, "web/article.html", context)


def _render_parts(request: HttpRequest, article: Article, *, preview: bool = False) -> tuple[str, str]:
    """The HTML every reader of the article sees: its meta tags and its main part (all but comments)."""
    section = article.section
    notes = list(article.notes.all())
    context = {
        "article": article,
        "bylines": article.bylines.all(),
        "notes": notes,
        "last_note": notes[-1] if notes else None,
        "preview": preview,
        "related": selectors.related_articles(article=article),
    }
    if not preview:
        context.update(
            canonical_url=absolute_url(article.get_absolute_url()),
            article_jsonld=structured_data.article_jsonld(article),
            breadcrumbs=structured_data.breadcrumbs(
                [
                    ("Home", "/"),
                    (section.name, section.get_absolute_url()),
                    (article.headline, article.get_absolute_url()),
                ]
            ),
            card=structured_data.article_card(article),
        )
    return (
        render_to_string("web/_article_meta.html", context, request),
        render_to_string("web/_article_main.html", context, request),
    )


@require_safe
@rate_limit("search", limit="BYLINE_SEARCH_RATE_PER_MINUTE", period=60, message=SEARCH_LIMITED)
def site_search(request: HttpRequest) -> HttpResponse:
    outcome = search.article_search(
        query=request.GET.get("q", ""),
        page=request.GET.get("page"),
        section_slug=request.GET.get("section", "")[:80],
        journalist_slug=request.GET.get("journalist", "")[:120],
    )
    sections, journalists = search_filter_choices()
    context = {
        "outcome": outcome,
        "sections": sections,
        "journalists": journalists,
        "chosen_section": request.GET.get("section", ""),
        "chosen_journalist": request.GET.get("journalist", ""),
        "page_query": _query_without_page(request),
    }
    return render(request, "web/search.html", context)


_FILTER_CHOICES = WorkerCache(budget_bytes=1 << 20)
# Every publish, unpublish, schedule, byline change and change to a journalist with shown articles replaces
# the front page's token; a section's change replaces the site-wide one (web/invalidation.py).
_FILTER_DEPENDENCIES = ["/", caching.SITE_WIDE]
_FILTER_CHOICES_MAX_AGE = 600


def search_filter_choices() -> tuple[list, list]:
    """The search form's sections and journalists (`selectors.search_filter_choices`), kept in this worker.

    Two queries and their ORM compilation were about a fifth of a search's CPU, for lists that change
    only with the newsroom: the kept lists are used while the tokens they were read under are current,
    and until the next scheduled article goes live (a journalist's first article then adds them). One
    Redis round trip a search; as exact as the page cache, on every app server.
    """
    # Read before the queries: a change racing them leaves what they read under an older token.
    versions = tuple(caching.ensure_versions(_FILTER_DEPENDENCIES))
    kept = _FILTER_CHOICES.get("choices", versions)
    if kept is not None and kept[0] > time.time():
        return kept[1]
    upcoming = caching.next_scheduled_publication()
    expires = min(time.time() + _FILTER_CHOICES_MAX_AGE, upcoming if upcoming is not None else math.inf)
    choices = selectors.search_filter_choices()
    _FILTER_CHOICES.put("choices", versions, (expires, choices), size=1024 * (1 + sum(map(len, choices))))
    return choices


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_safe
def corrections(request: HttpRequest) -> HttpResponse:
    page = selectors.corrections_page(page=request.GET.get("page"))
    context = {"page_obj": page, "canonical_url": absolute_url(request.path)}
    return render(request, "web/corrections.html", context)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be why we are here.
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render({"site_name": "This site"}), status=500)
