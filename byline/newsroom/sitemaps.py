"""sitemap.xml (an index of paginated sitemaps with lastmod), the Google News sitemap and robots.txt.

Addresses in sitemaps are absolute and built from BYLINE_SITE_URL, not from the request's Host header:
a sitemap fetched through an internal name or a proxy must still name the public site.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.utils import timezone

from byline.journalists.models import Journalist
from byline.newsroom.feeds import xml_text
from byline.newsroom.links import site_url
from byline.newsroom.models import Article, Section, Tag

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 URLs per news sitemap


def _live_q(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status__in": [Article.Status.PUBLISHED, Article.Status.SCHEDULED],
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


class SiteSitemap(Sitemap):
    """Base: protocol and domain from BYLINE_SITE_URL."""

    limit = 1000

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(site_url()).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(site_url()).netloc


class ArticleSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return Article.objects.live().select_related("section").order_by("-published_at", "-id")

    def lastmod(self, item: Article):
        return item.updated_at

    def get_latest_lastmod(self):
        return Article.objects.live().aggregate(last=Max("updated_at"))["last"]


class SectionSitemap(SiteSitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.annotate(
            last=Max("articles__published_at", filter=_live_q("articles__"))
        ).order_by("position", "name")

    def lastmod(self, item: Section):
        return item.last


class JournalistSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return (
            Journalist.objects.annotate(
                last=Max("bylines__article__published_at", filter=_live_q("bylines__article__"))
            )
            .filter(last__isnull=False)
            .order_by("name", "pk")
        )

    def lastmod(self, item: Journalist):
        return item.last


class TagSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return (
            Tag.objects.annotate(last=Max("articles__published_at", filter=_live_q("articles__")))
            .filter(last__isnull=False)
            .order_by("name", "pk")
        )

    def lastmod(self, item: Tag):
        return item.last


class HomeSitemap(SiteSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self) -> list[str]:
        return ["/"]

    def location(self, item: str) -> str:
        return item

    def lastmod(self, item: str):
        return Article.objects.live().aggregate(last=Max("published_at"))["last"]


SITEMAPS: dict[str, type[Sitemap]] = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "journalists": JournalistSitemap,
    "tags": TagSitemap,
}


def news_sitemap_entries() -> list[dict]:
    """Live articles first published in the last 48 hours, newest first, as the news template needs them."""
    since = timezone.now() - NEWS_WINDOW
    articles = Article.objects.live().filter(published_at__gte=since).select_related("section")
    articles = articles.prefetch_related("tags").order_by("-published_at", "-id")[:NEWS_LIMIT]
    return [
        {
            "location": site_url() + article.get_absolute_url(),
            "title": xml_text(article.headline),
            "published_at": article.published_at,
            "keywords": xml_text(", ".join(tag.name for tag in article.tags.all())),
        }
        for article in articles
    ]
