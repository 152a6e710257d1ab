"""`byline restore <file>`: put a backup made by `byline backup` back in place of the current database.

Everything written since the backup is lost, so the command asks first (skip with --no-input). Stop the
app servers (or put the site in maintenance) while it runs. Cached pages are invalidated afterwards.
"""

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from byline.web.caching import SITE_WIDE, invalidate_paths
from byline.web.management.commands.backup import engine_of, run_postgres_tool


class Command(BaseCommand):
    help = "Replace the database's contents with a backup written by `byline backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The backup file.")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, path: str, interactive: bool, database: str, **options) -> None:
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No backup file at {source}.")
        connection = connections[database]
        engine = engine_of(connection)
        if interactive:
            answer = input(f"Replace everything in the {engine} database with {source}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
        if engine == "sqlite":
            restore_sqlite(connection, source)
        else:
            connection.close()
            run_postgres_tool(
                connection,
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                str(source),
                "--dbname",
            )
        invalidate_paths([SITE_WIDE])
        self.stdout.write(f"Database restored from {source}.")


def restore_sqlite(connection, source: Path) -> None:
    try:
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        problems = backup.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{source} is not a SQLite backup ({error}).") from None
    if problems != "ok":
        backup.close()
        raise CommandError(f"{source} is damaged ({problems}); nothing changed.")
    connection.ensure_connection()
    try:
        backup.backup(connection.connection)
    finally:
        backup.close()
