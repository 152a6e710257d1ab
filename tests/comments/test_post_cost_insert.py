"""A new comment and its audit row are inserted with a statement written once per process
(`byline.core.rows.precomposed_insert`): it must be the statement, with the values, that Django's own
insert compiler writes for the same object, and anything the precomposed path cannot write goes the ORM's
way."""

import contextlib

import pytest
from django.db import connection
from django.db.models import sql
from django.db.models.functions import Now
from django.db.models.signals import post_save
from django.db.models.sql.compiler import SQLInsertCompiler

from byline.comments.models import Comment
from byline.moderation import services as moderation_services
from byline.moderation.models import ModerationEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _insert_fields(model) -> list:
    meta = model._meta
    return [f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated]


def _orm_statement(obj) -> tuple[str, list]:
    """What the ORM's insert compiler writes for `obj`, without running it."""
    query = sql.InsertQuery(type(obj))
    query.insert_values(_insert_fields(type(obj)), [obj])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = type(obj)._meta.db_returning_fields
    [(statement, params)] = compiler.as_sql()
    return statement, _comparable(params)


def _comparable(params) -> list:
    # psycopg wraps JSON in Jsonb objects, which compare by identity: compare what they wrap.
    return [(type(p).__name__, p.obj) if hasattr(p, "obj") else p for p in params]


@contextlib.contextmanager
def _inserts_into(table: str):
    """The INSERTs into `table` run inside, as (statement, params); the ORM's insert compiler must not run."""
    seen: list[tuple[str, list]] = []

    def compile_insert(compiler):
        raise AssertionError(f"the ORM compiled an insert into {compiler.query.model._meta.db_table}")

    def spy(execute, statement, params, many, context):
        if statement.startswith("INSERT") and connection.ops.quote_name(table) in statement.split("(")[0]:
            seen.append((statement, _comparable(params)))
        return execute(statement, params, many, context)

    with pytest.MonkeyPatch.context() as patch, connection.execute_wrapper(spy):
        patch.setattr(SQLInsertCompiler, "as_sql", compile_insert)
        yield seen


def _comment(article, **changes) -> Comment:
    values = {
        "article": article,
        "author": UserFactory(),
        "body_source": "The new tram line is *late*, again.",
        "body_html": "<p>The new tram line is <em>late</em>, again.</p>",
        "status": Comment.Status.PENDING,
        "moderation_reasons": [{"check": "burst", "verdict": "hold", "reason": "5 comments", "score": 5.0}],
        "toxicity_score": 0.25,
        "ip_hash": "a" * 64,
    }
    return Comment(**{**values, **changes})


def test_a_new_comment_is_inserted_with_the_statement_and_values_the_orm_writes(article):
    comment = _comment(article)
    with _inserts_into(Comment._meta.db_table) as inserts:
        comment.save()
    expected = _orm_statement(comment)
    assert inserts == [expected]
    stored = Comment.objects.get(pk=comment.pk)
    names = [f.attname for f in Comment._meta.concrete_fields]
    assert {n: getattr(stored, n) for n in names} == {n: getattr(comment, n) for n in names}
    assert not comment._state.adding and comment._state.db == "default"


def test_a_reply_keeps_its_place_in_the_thread(article):
    parent = _comment(article, status=Comment.Status.APPROVED)
    parent.save()
    reply = _comment(article, parent=parent, in_reply_to=parent, thread_root=parent, depth=1)
    with _inserts_into(Comment._meta.db_table) as inserts:
        reply.save()
    assert inserts == [_orm_statement(reply)]
    stored = Comment.objects.get(pk=reply.pk)
    assert (stored.parent_id, stored.thread_root_id, stored.depth) == (parent.pk, parent.pk, 1)


def test_the_audit_row_of_a_new_comment_is_inserted_as_the_orm_would(article):
    comment = _comment(article)
    with _inserts_into(ModerationEvent._meta.db_table) as inserts:
        comment.save()
    [event] = ModerationEvent.objects.filter(comment=comment)
    assert inserts == [_orm_statement(event)]
    assert (event.action, event.status_after, event.author_id) == ("policy", "pending", comment.author_id)
    assert event.details == {"reasons": comment.moderation_reasons, "toxicity": 0.25, "shadowed": False}


def test_a_logged_decision_comes_back_saved_with_its_id(article):
    comment = _comment(article)
    comment.save()
    event = moderation_services._log(action="hold", comment=comment, reason="looks like spam")
    assert event.pk is not None and not event._state.adding
    assert ModerationEvent.objects.get(pk=event.pk).reason == "looks like spam"


def test_a_value_the_orm_must_compile_goes_the_orms_way(article):
    comment = _comment(article, created_at=Now())
    comment.save()
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_while_someone_listens_to_the_logs_save_signals_the_orm_saves_the_audit_row(article):
    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append((instance.action, created))

    post_save.connect(listener, sender=ModerationEvent, weak=False)
    try:
        _comment(article).save()
    finally:
        post_save.disconnect(listener, sender=ModerationEvent)
    assert heard == [("policy", True)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite older than 3.35 is the database without it")
def test_a_database_without_returning_inserts_through_the_orm(article, monkeypatch):
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    comment = _comment(article)
    comment.save()
    assert Comment.objects.get(pk=comment.pk).body_source == comment.body_source
    assert ModerationEvent.objects.filter(comment=comment).count() == 1
