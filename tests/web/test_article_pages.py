"""`caching.article_pages`: every page an article shows on, which a change to it must refresh, in one query
(every published comment asks it after commit)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.web.caching import article_pages
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_an_article_shows_on_home_its_section_tags_and_journalists_pages():
    city = SectionFactory(slug="city", name="City")
    writers = [JournalistFactory(slug="mina-okafor"), JournalistFactory(slug="tom-reyes")]
    article = ArticleFactory(section=city, slug="ferry-fares", journalists=writers)
    article.tags.add(TagFactory(slug="transit"), TagFactory(slug="harbour"))
    ArticleFactory(section=SectionFactory(slug="sport"), journalists=[JournalistFactory(slug="someone-else")])

    with CaptureQueriesContext(connection) as queries:
        pages = article_pages(article.pk)
    assert pages == {
        "/",
        "/city/",
        "/city/ferry-fares/",
        "/tags/transit/",
        "/tags/harbour/",
        "/journalists/mina-okafor/",
        "/journalists/tom-reyes/",
    }
    assert len(queries) == 1


def test_an_article_without_tags_or_bylines_shows_on_home_and_its_section():
    article = ArticleFactory(section=SectionFactory(slug="city"), slug="notice", journalists=[])
    assert article_pages(article.pk) == {"/", "/city/", "/city/notice/"}


def test_a_missing_article_shows_nowhere():
    assert article_pages(987654) == set()
