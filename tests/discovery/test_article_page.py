import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.newsroom.selectors import related_articles
from tests.discovery.factories import ArticleNoteFactory
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_reading_time_is_shown():
    section = SectionFactory(slug="city")
    article = ArticleFactory(section=section, slug="long", body_source="word " * 700)
    assert article.reading_minutes == 4


def test_reading_time_appears_on_the_page(client):
    article = ArticleFactory(body_source="word " * 700)
    assert "4 min read" in client.get(article.get_absolute_url()).content.decode()


def test_related_articles_prefer_shared_tags_then_the_same_section():
    city, arts = SectionFactory(slug="city"), SectionFactory(slug="arts")
    harbour, ferries = TagFactory(slug="harbour"), TagFactory(slug="ferries")
    article = ArticleFactory(section=city)
    article.tags.add(harbour, ferries)
    two_tags = ArticleFactory(section=arts, slug="two-tags")
    two_tags.tags.add(harbour, ferries)
    one_tag = ArticleFactory(section=arts, slug="one-tag")
    one_tag.tags.add(harbour)
    ArticleFactory(section=city, slug="same-section")
    ArticleFactory(section=arts, slug="unrelated")
    ArticleFactory(section=city, slug="draft", draft=True).tags.add(harbour)
    found = [a.slug for a in related_articles(article=article, limit=5)]
    assert found == ["two-tags", "one-tag", "same-section"]


def test_related_articles_show_on_the_article_page(client):
    section = SectionFactory(slug="city")
    article = ArticleFactory(section=section, slug="main")
    ArticleFactory(section=section, slug="neighbour", headline="Neighbouring story")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Related articles" in html and "Neighbouring story" in html


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_article_page_query_count_does_not_grow_with_tags_notes_authors_or_related(client, settings):
    settings.BYLINE_RELATED_ARTICLES = 6
    section = SectionFactory(slug="city")
    small = ArticleFactory(section=section, slug="small")
    small.tags.add(TagFactory())
    ArticleFactory(section=section).tags.add(*small.tags.all())
    ArticleNoteFactory(article=small)
    baseline = page_queries(client, small.get_absolute_url())

    big = ArticleFactory(section=section, slug="big", journalists=[JournalistFactory() for _ in range(4)])
    tags = [TagFactory() for _ in range(6)]
    big.tags.add(*tags)
    for _ in range(8):
        ArticleFactory(section=section, journalists=[JournalistFactory(), JournalistFactory()]).tags.add(
            *tags[:3]
        )
    for _ in range(5):
        ArticleNoteFactory(article=big)
    assert page_queries(client, big.get_absolute_url()) <= baseline
