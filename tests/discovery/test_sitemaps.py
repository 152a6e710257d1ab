from datetime import timedelta
from xml.etree import ElementTree

import pytest
from defusedxml import ElementTree as SafeElementTree
from django.utils import timezone

from tests.discovery.conftest import SITE_URL
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return SafeElementTree.fromstring(response.content)


def locations(root: ElementTree.Element) -> list[str]:
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def test_sitemap_index_names_every_sitemap_on_the_public_address(client):
    ArticleFactory()
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    found = locations(root)
    for name in ("home", "articles", "sections", "journalists", "tags"):
        assert f"{SITE_URL}/sitemap-{name}.xml" in found
    assert f"{SITE_URL}/sitemap-news.xml" in found
    assert root.find(".//sm:lastmod", NS) is not None


def test_article_sitemap_lists_live_articles_with_lastmod_and_no_drafts(client):
    section = SectionFactory(slug="city")
    ArticleFactory(section=section, slug="open")
    ArticleFactory(section=section, slug="secret", draft=True)
    ArticleFactory(section=section, slug="tomorrow", scheduled=True)
    root = xml(client, "/sitemap-articles.xml")
    assert locations(root) == [f"{SITE_URL}/city/open/"]
    assert root.find(".//sm:url/sm:lastmod", NS).text


def test_article_sitemap_is_paginated_in_the_index(client, monkeypatch):
    from byline.newsroom.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for _ in range(3):
        ArticleFactory()
    found = locations(xml(client, "/sitemap.xml"))
    assert f"{SITE_URL}/sitemap-articles.xml?p=2" in found
    assert len(locations(xml(client, "/sitemap-articles.xml?p=2"))) == 1


def test_journalist_and_tag_sitemaps_only_list_those_with_live_articles(client):
    seen, unseen = JournalistFactory(slug="seen"), JournalistFactory(slug="unseen")
    tag, empty_tag = TagFactory(slug="used"), TagFactory(slug="unused")
    ArticleFactory(journalists=[seen]).tags.add(tag)
    ArticleFactory(journalists=[unseen], draft=True).tags.add(empty_tag)
    assert locations(xml(client, "/sitemap-journalists.xml")) == [f"{SITE_URL}/journalists/seen/"]
    assert locations(xml(client, "/sitemap-tags.xml")) == [f"{SITE_URL}/tags/used/"]


def test_news_sitemap_holds_the_last_48_hours_only(client):
    section = SectionFactory(slug="city")
    ArticleFactory(section=section, slug="fresh", headline="Fresh\x0c news", published_at=timezone.now())
    ArticleFactory(section=section, slug="old", published_at=timezone.now() - timedelta(hours=49))
    ArticleFactory(section=section, slug="draft", draft=True)
    root = xml(client, "/sitemap-news.xml")
    assert locations(root) == [f"{SITE_URL}/city/fresh/"]
    assert root.find(".//news:title", NS).text == "Fresh news"
    assert root.find(".//news:publication_date", NS).text
    assert root.find(".//news:publication/news:name", NS).text


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_previews(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in text
    assert f"Sitemap: {SITE_URL}/sitemap-news.xml" in text
    assert "Disallow: /preview/" in text
    assert "Disallow: /admin/" in text
