"""The article lookup of comment actions is written as SQL (byline/comments/views.py): it must find exactly
what `Article.objects.live()` finds, with the same values, and leave the story's text unread."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from byline.comments.views import _STORY_FIELDS, _live_article
from byline.newsroom.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _orm(article_id: int) -> Article | None:
    return Article.objects.live().select_related("section").filter(pk=article_id).first()


@pytest.mark.parametrize(
    "status, published",
    [
        (Article.Status.PUBLISHED, timedelta(hours=-1)),
        (Article.Status.SCHEDULED, timedelta(minutes=-1)),  # its time has come
        (Article.Status.SCHEDULED, timedelta(hours=1)),
        (Article.Status.PUBLISHED, timedelta(hours=1)),
        (Article.Status.DRAFT, None),
    ],
)
def test_the_comment_actions_find_what_readers_may_see_and_nothing_else(status, published):
    when = timezone.now() + published if published is not None else None
    article = ArticleFactory(status=status, published_at=when)
    Article.objects.filter(pk=article.pk).update(status=status, published_at=when)  # as saved, unchanged
    expected = _orm(article.pk)
    if expected is None:
        with pytest.raises(Http404):
            _live_article(article.pk)
        return
    found = _live_article(article.pk)
    shown = [f.attname for f in Article._meta.concrete_fields if f.name not in _STORY_FIELDS]
    assert {name: getattr(found, name) for name in shown} == {name: getattr(expected, name) for name in shown}
    with CaptureQueriesContext(connection) as queries:
        assert found.section.slug == expected.section.slug
        assert found.get_absolute_url() == expected.get_absolute_url()
    assert len(queries) == 0
    assert set(_STORY_FIELDS) <= found.get_deferred_fields()


def test_a_missing_article_is_not_found():
    with pytest.raises(Http404):
        _live_article(987654)
