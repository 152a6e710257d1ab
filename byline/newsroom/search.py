"""Site search over headline, standfirst and body of live articles.

Two engines behind one function, chosen by the database vendor:
- SQLite: the FTS5 table `newsroom_article_fts` (created by migration 0003), ranked with bm25, snippets from
  FTS5's `snippet()`. Rows are kept in sync by `index_article`/`unindex_article` (signals).
- PostgreSQL: `SearchQuery`/`SearchRank`/`SearchHeadline` over a stored, weighted tsvector column with a GIN
  index (migration 0004; the database computes it on every save).

Every article is indexed whatever its state; what readers may see is decided at query time by
`Article.objects.live()`, so a scheduled article becomes findable at its time and a draft never is.

A reader's query never reaches either engine as syntax: it is cut to words, and each word is quoted
(FTS5) or passed as plain text (PostgreSQL), so `"`, `*`, `OR`, `NEAR(` and `'; DROP` are only words.
"""

import logging
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from byline.core.conf import byline_setting
from byline.core.text import strip_control_chars
from byline.newsroom.models import Article, Byline

logger = logging.getLogger("byline.newsroom.search")

FTS_TABLE = "newsroom_article_fts"
PG_CONFIG = "english"
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_CANDIDATES = 1000
# Private-use characters mark highlights inside engine output; they cannot come from readers (stripped below).
MARK_START = "\ue000"
MARK_END = "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)
_MARKERS = re.compile(f"[{MARK_START}{MARK_END}]")


@dataclass
class SearchHit:
    article: Article
    headline: SafeString
    snippet: SafeString


@dataclass
class SearchOutcome:
    query: str
    terms: list[str]
    page: Page | None = None
    message: str = ""
    hits: list[SearchHit] = field(default_factory=list)


def search_terms(raw: str) -> list[str]:
    """The words of a reader's query, at most MAX_TERMS of them, with every bit of syntax dropped."""
    text = strip_control_chars(_MARKERS.sub("", raw or ""))[:MAX_QUERY_CHARS]
    return [word.lower() for word in _WORD.findall(text)][:MAX_TERMS]


def highlight(text: str) -> SafeString:
    """Escape everything the engine returned, then turn its markers into <mark> elements."""
    escaped = escape(text or "")
    marked = escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    if marked.count("<mark>") != marked.count("</mark>"):  # a snippet cut inside a match
        marked = escaped.replace(MARK_START, "").replace(MARK_END, "")
    return mark_safe(marked)  # noqa: S308 — built from escaped text plus our own tags only


def article_search(
    *, query: str, page: str | int | None = None, section_slug: str = "", journalist_slug: str = ""
) -> SearchOutcome:
    """Search live articles: a page of hits, or a message for the reader. Never raises for bad input."""
    terms = search_terms(query)
    outcome = SearchOutcome(query=(query or "")[:MAX_QUERY_CHARS], terms=terms)
    if not terms:
        outcome.message = (
            "Type one or more words to search for."
            if not (query or "").strip()
            else ("We could not find any words to search for in that. Try letters or numbers.")
        )
        return outcome
    live = Article.objects.live()
    if section_slug:
        live = live.filter(section__slug=section_slug)
    if journalist_slug:
        credited = Byline.objects.filter(journalist__slug=journalist_slug).values("article_id")
        live = live.filter(pk__in=credited)
    engine = _PostgresEngine(terms) if connection.vendor == "postgresql" else _SqliteEngine(terms)
    try:
        ranked_ids = engine.ranked_ids(live)
        paginator = Paginator(ranked_ids, byline_setting("BYLINE_PAGE_SIZE"))
        outcome.page = paginator.get_page(page)
        page_ids = list(outcome.page.object_list)
        # Snippets for this page only: highlighting is the costly part, and ranking needs none of it.
        snippets = engine.snippets(page_ids) if page_ids else {}
    except DatabaseError:
        # A missing FTS table (migrations not run) or an engine hiccup: tell the reader, log for the operator.
        logger.exception("Site search failed for %d term(s)", len(terms))
        outcome.page = None
        outcome.message = "Search is not available right now. Please try again later."
        return outcome
    articles = Article.objects.for_listing().in_bulk(page_ids)
    for pk in page_ids:
        if pk in articles:
            headline_html, snippet_html = snippets.get(pk, ("", ""))
            outcome.hits.append(
                SearchHit(
                    article=articles[pk],
                    headline=highlight(headline_html) if headline_html else highlight(articles[pk].headline),
                    snippet=highlight(snippet_html) if snippet_html else highlight(articles[pk].standfirst),
                )
            )
    if not outcome.hits:
        outcome.message = "Nothing matched. Try fewer or different words."
    return outcome


class _SqliteEngine:
    """FTS5: bm25 ranking (headline weighs most), `highlight()` and `snippet()` for the page shown."""

    def __init__(self, terms: list[str]):
        # Each term quoted (FTS5 string syntax: double quotes doubled), the last one as a prefix.
        quoted = [f'"{term.replace(chr(34), chr(34) * 2)}"' for term in terms]
        quoted[-1] += "*"
        self.match = " ".join(quoted)

    def ranked_ids(self, live) -> list[int]:
        # The table name is our constant; every value is a parameter.
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
            f"ORDER BY bm25({FTS_TABLE}, 10.0, 4.0, 1.0) LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match, MAX_CANDIDATES])
            candidates = [row[0] for row in cursor.fetchall()]
        if not candidates:
            return []
        visible = set(live.filter(pk__in=candidates).values_list("pk", flat=True))
        return [pk for pk in candidates if pk in visible]

    def snippets(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT rowid, highlight({FTS_TABLE}, 0, %s, %s), snippet({FTS_TABLE}, 2, %s, %s, '…', 30), "  # noqa: S608
            f"snippet({FTS_TABLE}, 1, %s, %s, '…', 30) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*(MARK_START, MARK_END) * 3, self.match, *ids])
            rows = cursor.fetchall()
        # The body's snippet when the body matched, else the standfirst's if that did, else the body's start.
        return {
            pk: (headline, body if MARK_START in body or MARK_START not in standfirst else standfirst)
            for pk, headline, body, standfirst in rows
        }


def article_search_document() -> RawSQL:
    """The stored, weighted tsvector (migration 0004: a generated column with a GIN index).

    headline A, standfirst B, body C, `english` configuration. The database keeps it up to date on every
    insert and update; Django's model does not list it, so it is reached through this expression.
    """
    column = f'"{Article._meta.db_table}"."search_document"'  # our own names, no input
    return RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611


class _PostgresEngine:
    """Full-text search on the GIN-indexed vector, ranked with SearchRank, marked with SearchHeadline."""

    def __init__(self, terms: list[str]):
        # Raw tsquery syntax, built by us from words only (no operator can come from the reader): every word
        # must match, the last one as a prefix, as on SQLite.
        self.query = SearchQuery(
            " & ".join([*terms[:-1], f"{terms[-1]}:*"]), search_type="raw", config=PG_CONFIG
        )

    def ranked_ids(self, live) -> list[int]:
        rows = (
            live.annotate(document=article_search_document())
            .filter(document=self.query)
            .annotate(rank=SearchRank(article_search_document(), self.query))
            .order_by("-rank", "-published_at", "-id")
            .values_list("pk", flat=True)[:MAX_CANDIDATES]
        )
        return list(rows)

    def snippets(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        options = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": PG_CONFIG}
        marked = (
            Article.objects.filter(pk__in=ids)
            .annotate(
                headline_marked=SearchHeadline("headline", self.query, highlight_all=True, **options),
                body_marked=SearchHeadline("body_text", self.query, max_words=35, min_words=15, **options),
            )
            .values_list("pk", "headline_marked", "body_marked")
        )
        return {pk: (head, body) for pk, head, body in marked}


def index_article(article: Article) -> None:
    """Put the article's current text in the FTS5 table (SQLite only; PostgreSQL indexes by itself).

    Runs inside the article's save; a failure here is logged, never allowed to stop an editor saving.
    `byline search_reindex` rebuilds the table from scratch.
    """
    if connection.vendor != "sqlite":
        return
    try:
        _write_fts_row(article)
    except DatabaseError:
        logger.exception("Could not index article %s for search", article.pk)


def _write_fts_row(article: Article) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article.pk])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, headline, standfirst, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [article.pk, _clean(article.headline), _clean(article.standfirst), _clean(article.body_text)],
        )


def unindex_article(article_id: int) -> None:
    if connection.vendor != "sqlite":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])  # noqa: S608
    except DatabaseError:
        logger.exception("Could not remove article %s from the search index", article_id)


def search_reindex() -> int:
    """Rebuild the FTS5 table from every article (SQLite); returns how many were indexed. No-op elsewhere."""
    if connection.vendor != "sqlite":
        return 0
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    for article in Article.objects.only("pk", "headline", "standfirst", "body_text").iterator():
        _write_fts_row(article)
        count += 1
    return count


def _clean(text: str) -> str:
    return _MARKERS.sub("", strip_control_chars(text or ""))
