"""Reader-facing pages. Each view parses the request, calls selectors, renders; no business logic here."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from byline.comments.selectors import comment_section_for_article
from byline.journalists.selectors import journalist_get
from byline.newsroom import selectors
from byline.newsroom.models import Article


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"blocks": selectors.home_sections()})


@require_safe
def section_detail(request: HttpRequest, section: str) -> HttpResponse:
    section_obj = selectors.section_get(slug=section)
    page = selectors.section_articles(section=section_obj, page=request.GET.get("page"))
    return render(request, "web/section.html", {"section": section_obj, "page_obj": page})


@require_safe
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = selectors.tag_get(slug=slug)
    page = selectors.tag_articles(tag=tag, page=request.GET.get("page"))
    return render(request, "web/tag.html", {"tag": tag, "page_obj": page})


@require_safe
def journalist_detail(request: HttpRequest, slug: str) -> HttpResponse:
    journalist = journalist_get(slug=slug)
    page = selectors.journalist_articles(journalist=journalist, page=request.GET.get("page"))
    return render(request, "web/journalist.html", {"journalist": journalist, "page_obj": page})


@require_safe
def article_detail(request: HttpRequest, section: str, slug: str) -> HttpResponse:
    article = selectors.article_for_reader(section_slug=section, slug=slug)
    return _render_article(request, article, preview=False)


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


def _render_article(request: HttpRequest, article: Article, *, preview: bool) -> HttpResponse:
    context = {
        "article": article,
        "bylines": article.bylines.all(),
        "preview": preview,
        "comments": comment_section_for_article(article=article, request=request),
    }
    return render(request, "web/article.html", context)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be why we are here.
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render({"site_name": "This site"}), status=500)
