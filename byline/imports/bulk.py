"""Inserting many comments quickly.

`bulk_create` spends most of its time compiling SQL field by field, object by object; an import of a
hundred thousand comments cannot afford that. Here ids are reserved first (PostgreSQL: from the table's
sequence; SQLite: past the highest id ever given, inside the import's write transaction), then rows go in
with one `executemany`. Other databases fall back to `bulk_create`. Values are prepared by each model
field (`get_db_prep_save`), so types and defaults are exactly what Django would write.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import connection, models


class FastInsert:
    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        template = model()
        self.defaults = {field.attname: getattr(template, field.attname) for field in self.fields}
        self.prepare = [_preparer(field) for field in self.fields]
        self.table = model._meta.db_table
        columns = ", ".join(connection.ops.quote_name(field.column) for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        # Table and column names come from the model; every value is a query parameter.
        self.sql = f"INSERT INTO {connection.ops.quote_name(self.table)} ({columns}) VALUES ({placeholders})"  # noqa: S608

    def insert(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert `rows` (attname → value; missing ones take the model's defaults) and return their ids."""
        if not rows:
            return []
        ids = self._reserve_ids(len(rows))
        if ids is None:
            objects = self.model.objects.bulk_create([self.model(**row) for row in rows], batch_size=1000)
            return [obj.pk for obj in objects]
        prepared = []
        for pk, row in zip(ids, rows, strict=True):
            values = []
            for field, prepare in zip(self.fields, self.prepare, strict=True):
                value = pk if field.primary_key else row.get(field.attname, self.defaults[field.attname])
                values.append(prepare(value) if prepare else value)
            prepared.append(values)
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, prepared)
        return ids

    def _reserve_ids(self, count: int) -> list[int] | None:
        pk = self.model._meta.pk.column
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.table, pk, count],
                )
                return [row[0] for row in cursor.fetchall()]
            if connection.vendor == "sqlite":
                quote = connection.ops.quote_name
                sql = f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(self.table)}"  # noqa: S608
                cursor.execute(sql)
                highest = cursor.fetchone()[0]
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                row = cursor.fetchone()
                start = max(highest, row[0] if row else 0) + 1
                return list(range(start, start + count))
        return None


# Field types whose Python values the database drivers take as they are.
_PASS_THROUGH = frozenset(
    [
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "FloatField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    ]
)


def _preparer(field: models.Field):
    """None when values go to the driver unchanged, else the field's own preparation."""
    if field.get_internal_type() in _PASS_THROUGH:
        return None
    if field.get_internal_type() == "DateTimeField" and connection.vendor in {"sqlite", "postgresql"}:
        return _datetime_preparer(field)
    # Imports repeat the same few values (the same reasons list, say): prepare each object once.
    prepared: dict[int, tuple[Any, Any]] = {}

    def prepare(value):
        hit = prepared.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        result = field.get_db_prep_save(value, connection)
        if len(prepared) < 1000 and isinstance(value, (list, dict)):
            prepared[id(value)] = (value, result)
        return result

    return prepare


def _datetime_preparer(field: models.Field):
    """Aware datetimes as the driver wants them, without Django's per-value checks (a measurable share of a
    large import): PostgreSQL takes them as they are; SQLite stores UTC text, as Django's adapter does."""
    if connection.vendor == "postgresql":
        return lambda value: value

    def to_sqlite(value):
        if value is None or not isinstance(value, datetime) or value.tzinfo is None:
            return field.get_db_prep_save(value, connection)
        return str(value.astimezone(UTC).replace(tzinfo=None))

    return to_sqlite
