"""Machine-read answers: the sitemap index, the news sitemap and robots.txt. Feeds are in feeds.py."""

from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from byline.core.conf import byline_setting
from byline.newsroom.feeds import xml_text
from byline.newsroom.links import absolute_url
from byline.newsroom.sitemaps import SITEMAPS, news_sitemap_entries


@require_safe
@x_robots_tag
@cache_control(max_age=600)
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """Like django.contrib.sitemaps' index, but with addresses on BYLINE_SITE_URL."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse("sitemap_section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            items.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    items.append(SitemapIndexItem(absolute_url(reverse("news_sitemap")), None))
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")


@require_safe
@x_robots_tag
@cache_control(max_age=300)
def news_sitemap(request: HttpRequest) -> TemplateResponse:
    context = {
        "entries": news_sitemap_entries(),
        "publication_name": xml_text(byline_setting("BYLINE_SITE_NAME")),
    }
    return TemplateResponse(request, "newsroom/news_sitemap.xml", context, content_type="application/xml")


@require_safe
@cache_control(max_age=3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /accounts/",
        "Disallow: /moderate/",
        "Disallow: /search/",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap_index'))}",
        f"Sitemap: {absolute_url(reverse('news_sitemap'))}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response
