"""A comment POST through the whole moderation pipeline asks the database a fixed number of questions,
however many comments the author and the article already have (issue 8: the POST must stay cheap)."""

from datetime import timedelta

import pytest
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from byline.comments.models import Comment
from tests.comments.factories import CommentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pipeline_on")]


def post_and_count(client, article, text: str) -> tuple[int, dict]:
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/comments/post/{article.pk}/", {"body": text}, HTTP_ACCEPT="application/json"
        )
    assert response.status_code == 201, response.content
    return len(queries), response.json()


@pytest.fixture
def signed_in(client, old_reader, article):
    client.force_login(old_reader)
    post_and_count(client, article, "A first remark compiles the word lists.")  # once per process
    return client


def test_the_query_count_of_a_post_does_not_grow_with_the_authors_history(signed_in, old_reader, article):
    client = signed_in
    few, first = post_and_count(client, article, "The new bus lanes work well on my street.")
    earlier = timezone.now() - timedelta(days=2)
    CommentFactory.create_batch(30, author=old_reader, article=article, created_at=earlier)
    many, second = post_and_count(client, article, "The ferry was on time for once this week.")
    assert first["status"] == second["status"] == Comment.Status.APPROVED
    assert many == few
    # The article, the session and the reader; the pipeline's one question; the comment, its audit row and
    # the count (which the update returns), between a savepoint and its release; the pages it shows on (1).
    assert few <= 10


def test_a_held_comment_costs_no_more_queries_than_a_published_one(signed_in, article, settings):
    client = signed_in
    published, answer = post_and_count(client, article, "The library extension is good news.")
    assert answer["status"] == Comment.Status.APPROVED
    settings.BYLINE_MODERATION_MODE = "pre"
    held, answer = post_and_count(client, article, "The pool should open earlier on weekends.")
    assert answer["status"] == Comment.Status.PENDING
    assert held <= published
