"""The search form's section and journalist lists are kept in the worker between searches, and are never
out of date: every change to what they list shows on the next search."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from byline.newsroom.models import Article, Byline
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory

pytestmark = pytest.mark.django_db


def filters(client) -> tuple[str, str]:
    """The section and journalist menus of a search page, as HTML."""
    html = client.get(reverse("newsroom:search"), {"q": "ferry"}).content.decode()
    section_menu = html.split('id="search-section"', 1)[1].split("</select>", 1)[0]
    journalist_menu = html.split('id="search-journalist"', 1)[1].split("</select>", 1)[0]
    return section_menu, journalist_menu


@pytest.fixture
def newsroom():
    city = SectionFactory(name="City", slug="city")
    ada = JournalistFactory(name="Ada Field", slug="ada")
    ArticleFactory(section=city, headline="Ferry timetable changes", journalists=[ada])
    return {"city": city, "ada": ada}


def searches_query_count(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("newsroom:search"), {"q": "ferry"}).status_code == 200
    return len(captured)


def test_a_repeat_search_does_not_ask_the_database_for_the_lists_again(client, newsroom):
    first = searches_query_count(client)
    assert searches_query_count(client) <= first - 2  # the section list and the journalist list


def test_a_new_section_and_a_renamed_one_show_on_the_next_search(client, newsroom):
    filters(client)
    SectionFactory(name="Harbour", slug="harbour")
    city = newsroom["city"]
    city.name = "City and County"
    city.save()
    sections, _ = filters(client)
    assert "Harbour" in sections and "City and County" in sections


def test_a_journalists_first_published_article_adds_them_to_the_next_search(client, newsroom):
    _, journalists = filters(client)
    assert "Ben Ore" not in journalists
    ben = JournalistFactory(name="Ben Ore", slug="ben")
    _, journalists = filters(client)
    assert "Ben Ore" not in journalists  # no live article yet
    ArticleFactory(section=newsroom["city"], headline="Ferry fares", journalists=[ben])
    _, journalists = filters(client)
    assert "Ben Ore" in journalists


def test_a_renamed_journalist_and_a_removed_byline_show_on_the_next_search(client, newsroom):
    filters(client)
    ada = newsroom["ada"]
    ada.name = "Ada Field-Marsh"
    ada.save()
    _, journalists = filters(client)
    assert "Ada Field-Marsh" in journalists
    Byline.objects.filter(journalist=ada).delete()
    _, journalists = filters(client)
    assert "Ada Field" not in journalists


def test_an_unpublished_article_takes_its_only_journalist_off_the_next_search(client, newsroom):
    filters(client)
    article = Article.objects.get(headline="Ferry timetable changes")
    article.status = Article.Status.DRAFT
    article.published_at = None
    article.save()
    _, journalists = filters(client)
    assert "Ada Field" not in journalists


def test_a_scheduled_article_adds_its_journalist_once_its_time_has_come(client, newsroom, monkeypatch):
    from types import SimpleNamespace

    from byline.web import views

    cy = JournalistFactory(name="Cy Lane", slug="cy")
    article = ArticleFactory(
        section=newsroom["city"], headline="Ferry strike", scheduled=True, journalists=[cy]
    )
    _, journalists = filters(client)
    assert "Cy Lane" not in journalists
    # Its time comes without a save, so no token changes: the lists kept before must not outlive it.
    due = article.published_at.timestamp()
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    monkeypatch.setattr(views, "time", SimpleNamespace(time=lambda: due + 1))
    _, journalists = filters(client)
    assert "Cy Lane" in journalists
