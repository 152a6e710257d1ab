"""Comments written before the digest column existed get it from migration 0003, computed by the
database exactly as `body_digest` computes it in Python (non-ASCII text included), so the duplicate check
finds them."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from byline.comments.models import Comment, body_digest
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("byline.comments.migrations.0003_comment_digest_backfill")


def test_the_migration_fills_the_digest_of_every_older_comment(monkeypatch):
    monkeypatch.setattr(backfill, "BATCH", 2)  # several batches, one of them partly filled already
    texts = ["Plain words about the harbour.", "Café crème, naïve résumé — 東京 🚋", "", "Line one\nline two"]
    comments = [CommentFactory(body_source=text) for text in texts]
    Comment.objects.filter(pk__in=[c.pk for c in comments[1:]]).update(body_digest="")
    backfill.fill_digests(apps, SimpleNamespace(connection=connection))
    stored = dict(Comment.objects.values_list("body_source", "body_digest"))
    assert stored == {text: body_digest(text) for text in texts}
