import pytest
from django.db import connection
from django.urls import reverse

from byline.newsroom.search import article_search, highlight, search_terms
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    '"',
    "*",
    "OR",
    "NEAR(",
    "'; DROP TABLE newsroom_article; --",
    "",
    "   ",
    "x" * 10_000,
    "AND OR NOT",
    'bridge" OR "x',
    "headline:bridge",
    "^bridge",
    "{bridge}",
    "\x00\x01",
    "🦆",
    "snake_case_word",
    "___",
    "l'été",
    "the",
    "a:* & !b | (c)",
]


@pytest.fixture
def stories():
    city, arts = SectionFactory(name="City", slug="city"), SectionFactory(name="Arts", slug="arts")
    ada, ben = JournalistFactory(name="Ada Field", slug="ada"), JournalistFactory(name="Ben Ore", slug="ben")
    bridge = ArticleFactory(
        section=city,
        slug="bridge",
        headline="Harbour bridge reopens",
        standfirst="Repairs are done.",
        body_source="Cyclists crossed the harbour bridge at dawn.",
        journalists=[ada],
    )
    concert = ArticleFactory(
        section=arts,
        slug="concert",
        headline="Concert by the water",
        standfirst="Music on the pier.",
        body_source="The orchestra played near the old bridge until midnight.",
        journalists=[ben],
    )
    ArticleFactory(section=city, slug="draft", headline="Secret bridge plans", draft=True, journalists=[ada])
    ArticleFactory(
        section=city, slug="later", headline="Bridge toll announced", scheduled=True, journalists=[ada]
    )
    return {"bridge": bridge, "concert": concert}


def found(outcome) -> list[str]:
    return [hit.article.slug for hit in outcome.hits]


def test_headline_matches_rank_above_body_matches(stories):
    assert found(article_search(query="bridge")) == ["bridge", "concert"]


def test_drafts_and_scheduled_articles_never_appear(stories, client):
    assert "draft" not in found(article_search(query="secret bridge plans"))
    assert "later" not in found(article_search(query="toll"))
    html = client.get(reverse("newsroom:search"), {"q": "secret"}).content.decode()
    assert "Secret bridge plans" not in html


def test_body_and_standfirst_are_searched(stories):
    assert found(article_search(query="orchestra midnight")) == ["concert"]
    assert found(article_search(query="pier")) == ["concert"]


def test_words_match_their_other_forms_and_prefixes(stories):
    assert found(article_search(query="cyclist")) == ["bridge"]
    assert found(article_search(query="orch")) == ["concert"]


def test_filters_by_section_and_journalist(stories):
    assert found(article_search(query="bridge", section_slug="arts")) == ["concert"]
    assert found(article_search(query="bridge", journalist_slug="ada")) == ["bridge"]
    assert found(article_search(query="bridge", journalist_slug="nobody")) == []


def test_snippets_mark_matches_and_escape_everything_else():
    section = SectionFactory(slug="city")
    ArticleFactory(
        section=section,
        slug="x",
        headline="Tags <b>bold</b> & bridges",
        body_source="Write `<script>alert(1)</script>` near the bridge.",
    )
    hit = article_search(query="bridge").hits[0]
    assert "<script>" not in hit.snippet and "<b>" not in hit.headline
    # SQLite shows the text escaped; PostgreSQL's ts_headline drops tag-like words altogether.
    assert "&lt;script&gt;" in hit.snippet or connection.vendor == "postgresql"
    assert "<mark>" in hit.snippet.lower()


def test_highlight_escapes_before_marking():
    assert highlight("<i>a</i> \ue000b\ue001") == "&lt;i&gt;a&lt;/i&gt; <mark>b</mark>"


def test_search_terms_drop_every_bit_of_query_syntax():
    assert search_terms('bridge" OR NEAR(x, y) *') == ["bridge", "or", "near", "x", "y"]
    assert search_terms("x" * 10_000) == ["x" * 200]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_get_results_or_a_message_never_an_error(client, stories, query):
    response = client.get(reverse("newsroom:search"), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "search-message" in html or "search-hit" in html


def test_empty_query_asks_for_words(client, stories):
    html = client.get(reverse("newsroom:search")).content.decode()
    assert "Type one or more words" in html


def test_results_are_paginated_keeping_the_query(client, settings):
    settings.BYLINE_PAGE_SIZE = 2
    section = SectionFactory(slug="city")
    for number in range(5):
        ArticleFactory(section=section, headline=f"Ferry news {number}")
    first = client.get(reverse("newsroom:search"), {"q": "ferry", "section": "city"}).content.decode()
    assert "Page 1 of 3" in first
    assert "?q=ferry&amp;section=city&amp;page=2" in first
    third = client.get(reverse("newsroom:search"), {"q": "ferry", "page": "3"}).content.decode()
    assert third.count('class="search-hit"') == 1


def test_the_index_follows_edits_and_deletes(stories):
    bridge = stories["bridge"]
    bridge.headline = "Harbour tunnel opens"
    bridge.save()
    assert "bridge" in found(article_search(query="tunnel"))
    bridge.delete()
    assert found(article_search(query="tunnel")) == []


def test_search_page_is_not_indexed_and_filters_are_labelled(client, stories):
    html = client.get(reverse("newsroom:search"), {"q": "bridge"}).content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html
    assert '<label for="search-section">' in html and '<label for="search-journalist">' in html


def test_search_index_table_or_gin_index_exists_for_this_database():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_document_gin'")
            assert "USING gin (search_document)" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'newsroom_article_fts'")
            assert cursor.fetchone()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_postgres_plans_use_the_gin_index(stories):
    from byline.newsroom.models import Article
    from byline.newsroom.search import SearchQuery, article_search_document

    query = SearchQuery("bridge", config="english")
    queryset = Article.objects.annotate(document=article_search_document()).filter(document=query)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "article_search_document_gin" in queryset.explain()


def test_reindex_command_rebuilds_the_index(stories):
    from django.core.management import call_command

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM newsroom_article_fts")
        assert found(article_search(query="orchestra")) == []
    call_command("search_reindex", stdout=__import__("io").StringIO())
    assert found(article_search(query="orchestra")) == ["concert"]


def test_a_missing_index_gives_readers_a_message_not_an_error(client, stories, monkeypatch):
    from django.db import DatabaseError

    from byline.newsroom import search

    def broken(*args, **kwargs):
        raise DatabaseError("no such table: newsroom_article_fts")

    monkeypatch.setattr(search._SqliteEngine, "ranked_ids", broken)
    monkeypatch.setattr(search._PostgresEngine, "ranked_ids", broken)
    response = client.get(reverse("newsroom:search"), {"q": "bridge"})
    assert response.status_code == 200
    assert "Search is not available right now" in response.content.decode()


def test_readers_find_the_search_form_on_the_home_page(client, stories):
    html = client.get("/").content.decode()
    assert f'action="{reverse("newsroom:search")}"' in html
    assert '<label for="home-search-q">' in html


def test_search_queries_do_not_grow_with_the_number_of_matches(client, settings):
    from django.test.utils import CaptureQueriesContext

    settings.BYLINE_PAGE_SIZE = 3
    section = SectionFactory(slug="city")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("newsroom:search"), {"q": "ferry"}).status_code == 200
        return len(captured)

    for number in range(3):
        ArticleFactory(section=section, headline=f"Ferry story {number}")
    few = queries()
    for number in range(20):
        ArticleFactory(section=section, headline=f"More ferry news {number}")
    assert queries() <= few
