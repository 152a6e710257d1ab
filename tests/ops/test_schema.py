"""The schema: every model change ships with its migration (an operator's `byline migrate` after an upgrade
is all the database needs), and the tables every posted comment writes carry no index that another one
already provides."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration(capsys):
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit:
        pytest.fail(f"Models changed without a migration:\n{capsys.readouterr().out}")


@pytest.mark.django_db
@pytest.mark.parametrize("table", ["comments_comment", "moderation_moderationevent"])
def test_the_hot_tables_carry_no_index_that_another_makes_redundant(table):
    # Each index costs every insert (a posted comment writes both tables); PostgreSQL only.
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: this run uses " + connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, i.indkey::text, pg_get_indexdef(i.indexrelid)
               FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               WHERE i.indrelid = %s::regclass AND i.indpred IS NULL AND NOT i.indisunique""",
            [table],
        )
        indexes = [(name, keys.split(), definition) for name, keys, definition in cursor.fetchall()]
    assert not [name for name, _, definition in indexes if "pattern_ops" in definition]
    redundant = [
        (name, other)
        for name, keys, _ in indexes
        for other, longer, _ in indexes
        if name != other and len(keys) < len(longer) and longer[: len(keys)] == keys
    ]
    assert redundant == []


@pytest.mark.django_db
def test_every_index_the_models_declare_is_in_the_database():
    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.managed and model._meta.indexes:
                present = connection.introspection.get_constraints(cursor, model._meta.db_table)
                missing = [index.name for index in model._meta.indexes if index.name not in present]
                assert missing == [], f"{model._meta.label}: {missing}"
