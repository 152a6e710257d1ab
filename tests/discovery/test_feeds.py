from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from byline.newsroom.models import ArticleNote
from tests.discovery.conftest import SITE_URL
from tests.discovery.factories import ArticleNoteFactory
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    feed = feedparser.parse(response.content, response_headers={"content-type": response["Content-Type"]})
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.fixture
def newsroom():
    section = SectionFactory(name="City", slug="city")
    tag = TagFactory(name="Transit", slug="transit")
    ada, ben = (
        JournalistFactory(name="Ada Field", slug="ada-field"),
        JournalistFactory(name="Ben Ore", slug="ben-ore"),
    )
    shared = ArticleFactory(
        section=section, headline="Bridge reopens after repairs", slug="bridge", journalists=[ada, ben]
    )
    shared.tags.add(tag)
    ArticleFactory(section=section, headline="Secret draft", slug="draft", draft=True, journalists=[ada])
    ArticleFactory(
        section=section, headline="Tomorrow's story", slug="later", scheduled=True, journalists=[ada]
    )
    return {"section": section, "tag": tag, "ada": ada, "ben": ben, "article": shared}


def every_feed_url(newsroom) -> list[str]:
    """Every XML feed (feedparser 6.0 reads no JSON Feed; that one has its own tests below)."""
    urls = [reverse("feeds:site_rss"), reverse("feeds:site_atom")]
    for kind, key, kwarg in (
        ("section", "section", "section"),
        ("journalist", "ada", "slug"),
        ("tag", "tag", "slug"),
    ):
        for flavour in ("rss", "atom"):
            urls.append(reverse(f"feeds:{kind}_{flavour}", kwargs={kwarg: newsroom[key].slug}))
    return urls


def test_every_feed_parses_cleanly_and_lists_the_published_article_only(client, newsroom):
    for url in every_feed_url(newsroom):
        _, feed = parse(client, url)
        titles = [entry.title for entry in feed.entries]
        assert titles == ["Bridge reopens after repairs"], url


def test_rss_and_atom_credit_every_co_author(client, newsroom):
    for url in (reverse("feeds:site_rss"), reverse("feeds:site_atom")):
        _, feed = parse(client, url)
        names = [author.get("name") for author in feed.entries[0].authors]
        assert "Ada Field" in names and "Ben Ore" in names, (url, names)


def test_json_feed_is_version_1_1_with_authors_and_dates(client, newsroom):
    response = client.get(reverse("feeds:site_json"))
    assert response["Content-Type"].startswith("application/feed+json")
    data = response.json()
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == f"{SITE_URL}/feeds/feed.json"
    item = data["items"][0]
    assert [a["name"] for a in item["authors"]] == ["Ada Field", "Ben Ore"]
    assert item["url"] == f"{SITE_URL}/city/bridge/"
    assert item["date_published"] and item["date_modified"]
    assert "Transit" in item["tags"]
    assert [i["title"] for i in data["items"]] == [
        "Bridge reopens after repairs"
    ]  # no draft, no future story


def test_feed_items_carry_publication_and_update_dates(client, newsroom):
    article = newsroom["article"]
    ArticleNoteFactory(article=article, kind=ArticleNote.Kind.UPDATE, noted_at=timezone.now())
    _, feed = parse(client, reverse("feeds:site_atom"))
    entry = feed.entries[0]
    assert entry.published_parsed and entry.updated_parsed
    assert entry.updated_parsed > entry.published_parsed


def test_full_text_setting_switches_between_body_and_summary(client, newsroom, settings):
    article = newsroom["article"]
    article.body_source = "The **whole** story, told at length."
    article.save()
    settings.BYLINE_FEED_FULL_TEXT = True
    _, feed = parse(client, reverse("feeds:site_rss"))
    assert "told at length" in feed.entries[0].content[0].value
    settings.BYLINE_FEED_FULL_TEXT = False
    _, feed = parse(client, reverse("feeds:site_rss"))
    assert "content" not in feed.entries[0]
    assert "told at length" not in feed.entries[0].summary
    assert "says what the story is" in feed.entries[0].summary


def test_hero_image_is_an_enclosure_with_its_size(client, newsroom, jpeg_upload):
    article = newsroom["article"]
    upload = jpeg_upload()
    article.hero_image = upload
    article.hero_alt = "The bridge at dusk"
    article.save()
    _, feed = parse(client, reverse("feeds:site_rss"))
    enclosure = feed.entries[0].enclosures[0]
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == upload.size
    assert enclosure.href.startswith(f"{SITE_URL}/media/articles/")


def test_corrections_appear_in_the_feed_items(client, newsroom):
    ArticleNoteFactory(article=newsroom["article"], text="The bridge opened in 1931, not 1913.")
    for url in (reverse("feeds:site_rss"), reverse("feeds:site_atom")):
        _, feed = parse(client, url)
        assert "1931, not 1913" in feed.entries[0].summary


def test_control_characters_never_break_the_xml(client, newsroom):
    article = newsroom["article"]
    article.headline = "Bridge\x01 reopens\x0b after\x1f repairs"  # (PostgreSQL refuses NUL itself)
    article.standfirst = "Bell\x07 rings"
    article.save()
    newsroom["section"].name = "City\x08"
    newsroom["section"].save()
    for url in every_feed_url(newsroom):
        _, feed = parse(client, url)
        assert feed.entries[0].title == "Bridge reopens after repairs"
    item = client.get(reverse("feeds:site_json")).json()["items"][0]
    assert item["title"] == "Bridge reopens after repairs"


def test_links_in_feeds_use_the_public_site_address(client, newsroom):
    _, feed = parse(client, reverse("feeds:section_rss", kwargs={"section": "city"}))
    assert feed.feed.link == f"{SITE_URL}/city/"
    assert feed.entries[0].link == f"{SITE_URL}/city/bridge/"


def test_guid_stays_the_same_when_the_slug_changes(client, newsroom):
    _, before = parse(client, reverse("feeds:site_atom"))
    article = newsroom["article"]
    article.slug = "bridge-reopened"
    article.save()
    _, after = parse(client, reverse("feeds:site_atom"))
    assert before.entries[0].id == after.entries[0].id
    assert after.entries[0].link.endswith("/bridge-reopened/")


def test_unknown_subject_feed_is_not_found(client):
    assert client.get(reverse("feeds:section_rss", kwargs={"section": "nowhere"})).status_code == 404
    assert client.get(reverse("feeds:journalist_atom", kwargs={"slug": "nobody"})).status_code == 404


def test_pages_link_their_feeds(client, newsroom):
    home = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in home and 'type="application/feed+json"' in home
    section_page = client.get("/city/").content.decode()
    assert reverse("feeds:section_rss", kwargs={"section": "city"}) in section_page
    journalist_page = client.get(newsroom["ada"].get_absolute_url()).content.decode()
    assert reverse("feeds:journalist_atom", kwargs={"slug": "ada-field"}) in journalist_page


def test_feed_size_setting_limits_the_items(client, settings):
    section = SectionFactory()
    for hours in range(5):
        ArticleFactory(section=section, published_at=timezone.now() - timedelta(hours=hours + 1))
    settings.BYLINE_FEED_SIZE = 3
    _, feed = parse(client, reverse("feeds:site_rss"))
    assert len(feed.entries) == 3
