"""SQL query budgets of every public page: fixed numbers, whatever the number of articles and comments.

Each page is measured on a site with a few articles (and comments) and again on one with many more; the
counts must be equal, and within the budget below. A page that starts querying per article or per comment
fails here before it is slow in production.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from byline.comments.models import Comment
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

# Queries of a live render (cache cold), anonymous reader and signed-in reader. Raise a budget only with
# a reason in the commit message.
BUDGETS = {
    "home": 5,
    "section": 6,
    "tag": 6,
    "journalist": 7,
    "article": 13,
    # SQLite: one more than PostgreSQL (the FTS5 table is queried separately). Cold, the filter lists
    # also look up the next scheduled publication (then kept in Redis); a repeat search asks for neither
    # list (tests/web/test_search_filters_kept.py).
    "search": 9,
}


def build_site(*, articles: int, comments: int) -> dict[str, str]:
    sections = [SectionFactory(slug="city", name="City"), SectionFactory(slug="region", name="Region")]
    writers = [JournalistFactory(slug="mina-okafor"), JournalistFactory()]
    tag = TagFactory(slug="transit")
    readers = [UserFactory() for _ in range(3)]
    featured = None
    for n in range(articles):
        article = ArticleFactory(
            section=sections[n % 2], journalists=[writers[0], writers[n % 2]] if n % 2 else [writers[0]]
        )
        article.tags.add(tag)
        featured = featured or article
    for n in range(comments):
        top = Comment.objects.create(
            article=featured,
            author=readers[n % 3],
            body_source=f"Comment {n}",
            body_html=f"<p>Comment {n}</p>",
            status=Comment.Status.APPROVED,
        )
        Comment.objects.create(
            article=featured,
            author=readers[(n + 1) % 3],
            parent=top,
            thread_root=top,
            in_reply_to=top,
            depth=1,
            body_source=f"Reply {n}",
            body_html=f"<p>Reply {n}</p>",
            status=Comment.Status.APPROVED,
        )
    featured.comment_count = comments * 2
    featured.save()
    return {
        "home": "/",
        "section": "/city/",
        "tag": "/tags/transit/",
        "journalist": "/journalists/mina-okafor/",
        "article": featured.get_absolute_url(),
        "search": "/search/?q=headline",
    }


def queries(client: Client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def measure(*, articles: int, comments: int) -> dict[str, tuple[int, int]]:
    urls = build_site(articles=articles, comments=comments)
    member = Client()
    member.force_login(UserFactory())
    return {page: (queries(Client(), url), queries(member, url)) for page, url in urls.items()}


@pytest.fixture
def small_site(settings):
    # The home page shows two per section; the small site fills them (a section short of articles costs
    # one more query to look further back, by design: bounded by the number of sections).
    settings.BYLINE_HOME_PER_SECTION = 2
    return measure(articles=4, comments=2)


def test_every_public_page_stays_within_its_query_budget(small_site):
    for page, (anonymous, signed_in) in small_site.items():
        assert anonymous <= BUDGETS[page], f"{page}: {anonymous} queries for an anonymous reader"
        assert signed_in <= BUDGETS[page] + 2, f"{page}: {signed_in} queries for a signed-in reader"


def test_query_counts_do_not_grow_with_articles_or_comments(small_site):
    from byline.journalists.models import Journalist
    from byline.newsroom.models import Article, Section, Tag

    for model in (Comment, Article, Journalist, Section, Tag):
        model.objects.all().delete()
    large_site = measure(articles=30, comments=25)
    assert large_site == small_site


def test_a_cached_page_costs_no_query_at_all(small_site):
    reader = Client()
    reader.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = reader.get("/")
    assert response["X-Byline-Cache"] == "HIT"
    assert len(captured) == 0


def test_a_signed_in_readers_article_page_costs_only_the_session_and_the_reader_when_warm(small_site):
    """The shared parts of the page and its COMMENTS section come from the cache (web/fragments.py,
    comments/rendering.py): a repeat view runs no newsroom or comment query, however many comments."""
    from byline.newsroom.models import Article

    member = Client()
    member.force_login(UserFactory())
    url = Article.objects.get(comment_count__gt=0).get_absolute_url()
    member.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = member.get(url)
    assert response.status_code == 200
    assert b'class="comment-list"' in response.content and b"Comment 1" in response.content
    assert len(captured) <= 2, [query["sql"][:80] for query in captured]
