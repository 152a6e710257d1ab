"""Routes for feeds, sitemaps and robots.txt; included by byline/urls.py before the /<section>/ catch-all."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from byline.newsroom import feeds, views
from byline.newsroom.sitemaps import SITEMAPS

feed_patterns = (
    [
        path("rss/", feeds.ArticleFeed(), name="site_rss"),
        path("atom/", feeds.SiteAtomFeed(), name="site_atom"),
        path("feed.json", feeds.SiteJSONFeed(), name="site_json"),
        path("sections/<slug:section>/rss/", feeds.SectionArticleFeed(), name="section_rss"),
        path("sections/<slug:section>/atom/", feeds.SectionAtomFeed(), name="section_atom"),
        path("journalists/<slug:slug>/rss/", feeds.JournalistArticleFeed(), name="journalist_rss"),
        path("journalists/<slug:slug>/atom/", feeds.JournalistAtomFeed(), name="journalist_atom"),
        path("tags/<slug:slug>/rss/", feeds.TagArticleFeed(), name="tag_rss"),
        path("tags/<slug:slug>/atom/", feeds.TagAtomFeed(), name="tag_atom"),
    ],
    "feeds",
)

machine_patterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-news.xml", views.news_sitemap, name="news_sitemap"),
    path("sitemap-<slug:section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
]
