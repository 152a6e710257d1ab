"""The first page of a thread list is read in order from an index, not sorted: on a story with tens of
thousands of comments, sorting them all cost PostgreSQL 100 ms for every render of the page."""

import pytest
from django.db import connection

from byline.comments.selectors import _top_level
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def plan(sort: str) -> str:
    article = ArticleFactory()
    CommentFactory.create_batch(3, article=article)
    threads = _top_level(article, None, sort)[:50]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a three-row table: make the planner show what it could do
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
    return threads.explain()


@pytest.mark.parametrize(
    ("sort", "index"), [("newest", "comment_threads_newest_idx"), ("oldest", "comment_threads_oldest_idx")]
)
def test_an_anonymous_readers_first_page_of_threads_is_read_in_order_from_an_index(sort, index):
    shown = plan(sort)
    assert index in shown
    assert "TEMP B-TREE" not in shown and "Sort" not in shown, shown
