"""Which Byline object each record of an export became (see models.ImportedIdentity)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from byline.imports.models import ImportedIdentity

Kind = ImportedIdentity.Kind


def fingerprint(*values: object) -> str:
    """A stable hash of a record's importable fields: equal fingerprints mean nothing to update."""
    payload = "\x1f".join(repr(value) if not isinstance(value, str) else value for value in values)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Known:
    object_id: int
    fingerprint: str


class IdentityMap:
    """Look-ups and writes of identities for one source and site. Small kinds are cached in memory;
    comments, which may number in the hundreds of thousands, are looked up per batch."""

    def __init__(self, *, source: str, site: str):
        self.source = source
        self.site = site[:300]
        self._cache: dict[tuple[str, str], Known] = {}

    def _query(self, kind: str):
        return ImportedIdentity.objects.filter(source=self.source, site=self.site, kind=kind)

    def get(self, kind: str, external_id: str) -> Known | None:
        key = (kind, external_id)
        if key not in self._cache:
            row = (
                self._query(kind)
                .filter(external_id=external_id)
                .values_list("object_id", "fingerprint")
                .first()
            )
            if row is None:
                return None
            self._cache[key] = Known(*row)
        return self._cache[key]

    def get_many(self, kind: str, external_ids: Iterable[str]) -> dict[str, Known]:
        ids = list(dict.fromkeys(external_ids))
        found: dict[str, Known] = {}
        for start in range(0, len(ids), 500):
            rows = self._query(kind).filter(external_id__in=ids[start : start + 500])
            for external_id, object_id, print_ in rows.values_list("external_id", "object_id", "fingerprint"):
                found[external_id] = Known(object_id, print_)
        return found

    def remember(self, kind: str, external_id: str, object_id: int, print_: str = "") -> None:
        now = timezone.now()
        fields = {"object_id": object_id, "fingerprint": print_, "updated_at": now}
        known = self._query(kind).filter(external_id=external_id)
        if (kind, external_id) in self._cache or known.exists():
            known.update(**fields)
        else:
            ImportedIdentity.objects.create(
                source=self.source,
                site=self.site,
                kind=kind,
                external_id=external_id,
                created_at=now,
                **fields,
            )
        if kind != Kind.COMMENT:
            self._cache[(kind, external_id)] = Known(object_id, print_)

    def remember_many(self, kind: str, rows: list[tuple[str, int, str]]) -> None:
        """Record new identities in bulk: (external_id, object_id, fingerprint) never seen before.

        A plain `executemany`: there may be a hundred thousand of these and nothing needs their ids.
        """
        if not rows:
            return
        now = timezone.now()
        table = connection.ops.quote_name(ImportedIdentity._meta.db_table)
        columns = "source, site, kind, external_id, object_id, fingerprint, created_at, updated_at"
        # Table and column names are our own constants; every value is a query parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"  # noqa: S608
        field = ImportedIdentity._meta.get_field("created_at")
        stamp = field.get_db_prep_save(now, connection)
        with connection.cursor() as cursor:
            cursor.executemany(
                sql,
                [
                    (self.source, self.site, kind, external_id, object_id, print_, stamp, stamp)
                    for external_id, object_id, print_ in rows
                ],
            )

    def set_fingerprint(self, kind: str, external_id: str, print_: str) -> None:
        self._query(kind).filter(external_id=external_id).update(
            fingerprint=print_, updated_at=timezone.now()
        )
        self._cache.pop((kind, external_id), None)
