"""Rows read with plain SQL on hot paths, handed over as the ORM would hand them over.

A few queries run on almost every request (the signed-in reader, the article a comment is posted to, the
moderation pipeline's signals) and are written out once per process, because compiling them through the
ORM cost more CPU than the database spends answering. Their rows must still come back exactly as the ORM
would give them: SQLite returns dates, times and booleans as text and integers, and a field's own
converters apply. `db_values` does that, with the converters looked up once per field list and database.
The rows a comment POST writes (the comment and its audit row) go the other way: `precomposed_insert`
writes the ORM's INSERT once per process and prepares only each row's values.
"""

import functools
from collections.abc import Sequence

from django.db import connections
from django.db.models import Field, Model


def db_values(fields: tuple[Field, ...], values: Sequence, connection) -> list:
    """`values` (one per field, in order) converted as the ORM converts what the database returns."""
    converted = list(values)
    for index, column, functions in _converters(fields, connection.alias):
        for convert in functions:
            converted[index] = convert(converted[index], column, connection)
    return converted


def instance_from_row(model: type[Model], fields: tuple[Field, ...], values: Sequence, connection) -> Model:
    """A model instance from a row of `fields`' columns, as `QuerySet` iteration would make it."""
    attnames = [field.attname for field in fields]
    return model.from_db(connection.alias, attnames, db_values(fields, values, connection))


@functools.cache
def _converters(fields: tuple[Field, ...], alias: str) -> tuple:
    connection = connections[alias]
    plan = []
    for index, field in enumerate(fields):
        column = field.get_col(field.model._meta.db_table)
        functions = tuple(connection.ops.get_db_converters(column) + field.get_db_converters(connection))
        if functions:
            plan.append((index, column, functions))
    return tuple(plan)


def precomposed_insert(obj: Model, *, using: str, fields, returning_fields) -> list[tuple] | None:
    """Insert `obj` as `Model.save()` would (the same statement and values, its returned columns converted
    as the ORM converts them), or None when only the ORM can: a value is an expression, a field writes its
    own placeholder, or the database cannot return columns from an INSERT.

    The ORM compiles the same statement again for every comment and every audit row; here it is written
    once per process, and only the values are prepared per row (each field's `pre_save` and
    `get_db_prep_save`, as the ORM's insert compiler does). tests/comments/test_post_cost_insert.py holds the
    statement and its values to the ORM's.
    """
    connection = connections[using]
    if not fields or not returning_fields or not connection.features.can_return_columns_from_insert:
        return None
    values = []
    for field in fields:
        value = field.pre_save(obj, True)
        if hasattr(value, "resolve_expression") or hasattr(field, "get_placeholder"):
            return None
        values.append(field.get_db_prep_save(value, connection=connection))
    # Keyed by the fields' identities: hashing Field objects (their model, name and creation order) would
    # cost more than the rest of this function.
    key = (type(obj), using, *map(id, fields), None, *map(id, returning_fields))
    sql = _INSERT_SQL.get(key)
    if sql is None:
        sql = _INSERT_SQL[key] = insert_sql(type(obj), fields, returning_fields, using)
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = connection.ops.fetch_returned_insert_columns(cursor, ())
    return [tuple(db_values(tuple(returning_fields), row, connection))]


_INSERT_SQL: dict[tuple, str] = {}


def insert_sql(model: type[Model], fields, returning_fields, alias: str) -> str:
    """The INSERT … RETURNING statement Django's insert compiler writes for one row of `fields`."""
    ops = connections[alias].ops
    quote = ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    values = ops.bulk_insert_sql(fields, [["%s"] * len(fields)])
    returning, _ = ops.return_insert_columns(returning_fields)
    statement = ops.insert_statement(on_conflict=None)
    return f"{statement} {quote(model._meta.db_table)} ({columns}) {values} {returning}"
