"""Signed-in readers get the shared parts of an article page from the cache (byline.web.fragments): every
change must still show at once, exactly as on the anonymous page."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from byline.newsroom.models import Article, ArticleNote
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return SectionFactory(name="Harbour", slug="harbour")


@pytest.fixture
def writer():
    return JournalistFactory(name="Ines Varga", bio_source="Ines covers the port.")


@pytest.fixture
def article(section, writer):
    return ArticleFactory(section=section, headline="Ferry fares rise", journalists=[writer])


@pytest.fixture
def reader():
    client = Client()
    client.force_login(UserFactory(display_name="Pat Reader"))
    return client


def page(client: Client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_cached_page_is_the_live_page(reader, article, settings):
    TagFactory(slug="ferries").articles.add(article)
    ArticleFactory(section=article.section, headline="Pier repairs begin")
    first, second = page(reader, article), page(reader, article)
    settings.BYLINE_PAGE_CACHE = False
    live = page(reader, article)
    token = re.compile(r'value="[A-Za-z0-9]{64}"')
    assert token.sub("", first) == token.sub("", second) == token.sub("", live)
    assert "Pier repairs begin" in first and "Pat Reader" in first


def test_an_edited_article_shows_at_once(reader, article):
    assert "Ferry fares rise" in page(reader, article)
    article.headline = "Ferry fares rise by a tenth"
    article.save()
    assert "Ferry fares rise by a tenth" in page(reader, article)


def test_a_correction_shows_at_once(reader, article):
    page(reader, article)
    ArticleNote.objects.create(article=article, kind="correction", text="The fare rise is 10%, not 12%.")
    assert "The fare rise is 10%, not 12%." in page(reader, article)


def test_a_journalists_new_bio_shows_at_once(reader, article, writer):
    page(reader, article)
    writer.bio_source = "Ines covers the port and the islands."
    writer.save()
    assert "Ines covers the port and the islands." in page(reader, article)


def test_a_new_related_article_shows_at_once(reader, article):
    page(reader, article)
    ArticleFactory(section=article.section, headline="Night ferry returns")
    assert "Night ferry returns" in page(reader, article)


def test_an_article_sharing_a_tag_shows_at_once(reader, article):
    tag = TagFactory(slug="fares")
    tag.articles.add(article)
    page(reader, article)
    elsewhere = ArticleFactory(section=SectionFactory(slug="city"), headline="Bus fares frozen")
    elsewhere.tags.add(tag)
    assert "Bus fares frozen" in page(reader, article)


def test_an_unpublished_article_is_gone_at_once(reader, article):
    page(reader, article)
    article.status = Article.Status.DRAFT
    article.save()
    assert reader.get(article.get_absolute_url()).status_code == 404


def test_a_scheduled_related_article_appears_when_its_time_comes(reader, article):
    ArticleFactory(
        section=article.section,
        headline="Summer timetable",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(minutes=5),
    )
    assert "Summer timetable" not in page(reader, article)
    later = timezone.now() + timedelta(minutes=6)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("byline.web.fragments.time.time", return_value=later.timestamp()),
    ):
        assert "Summer timetable" in page(reader, article)
