"""Rows read with plain SQL on hot paths, handed over as the ORM would hand them over.

A few queries run on almost every request (the signed-in reader, the article a comment is posted to, the
moderation pipeline's signals) and are written out once per process, because compiling them through the
ORM cost more CPU than the database spends answering. Their rows must still come back exactly as the ORM
would give them: SQLite returns dates, times and booleans as text and integers, and a field's own
converters apply. `db_values` does that, with the converters looked up once per field list and database.
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
