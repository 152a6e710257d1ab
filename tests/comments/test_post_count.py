"""A published comment hands back the article's stored count (the JSON answer shows it), counted by the
same statement that adds the comment's one: no read-back query, and other readers' comments included."""

import pytest
from django.db import connection
from django.db.models import F

from byline.comments import services
from byline.newsroom.models import Article
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_published_comment_leaves_the_stored_count_on_the_article_with_other_readers_comments(article):
    loaded = Article.objects.get(pk=article.pk)
    # Another reader's comment was counted after this request loaded the article.
    Article.objects.filter(pk=article.pk).update(comment_count=F("comment_count") + 1)
    result = services.post_comment(
        author=UserFactory(), article=loaded, body_source="Good to see the pool open."
    )
    assert result.comment.is_public
    assert loaded.comment_count == 2 == Article.objects.get(pk=article.pk).comment_count


def test_a_held_comment_leaves_the_count_alone(article, settings):
    settings.BYLINE_COMMENT_POLICY = "tests.comments.policies.hold_everything"
    result = services.post_comment(author=UserFactory(), article=article, body_source="Held for a look.")
    assert not result.comment.is_public
    assert Article.objects.get(pk=article.pk).comment_count == 0 == article.comment_count


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite older than 3.35 is the database without it")
def test_a_database_without_returning_still_hands_back_the_stored_count(article, monkeypatch):
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    loaded = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(comment_count=F("comment_count") + 1)
    services.post_comment(author=UserFactory(), article=loaded, body_source="Counted the old way.")
    assert loaded.comment_count == 2 == Article.objects.get(pk=article.pk).comment_count
