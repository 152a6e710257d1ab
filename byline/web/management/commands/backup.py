"""`byline backup`: a consistent copy of the database, taken while the site keeps serving.

SQLite: the online backup API (readers and writers carry on; the copy is one consistent snapshot).
PostgreSQL: `pg_dump --format=custom` (one snapshot; restore with `byline restore`).
Uploaded media (MEDIA_ROOT, or the S3 bucket) are files: back them up with the file system's tools.
"""

import os
import shutil
import sqlite3
import subprocess  # nosec B404
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections


class Command(BaseCommand):
    help = "Write a consistent backup of the database (SQLite online backup, or pg_dump on PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", help="File to write (default: var/backups/byline-<time>.<ext>)."
        )
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, output: str | None, database: str, **options) -> str:
        connection = connections[database]
        engine = engine_of(connection)
        target = Path(output) if output else default_path(engine)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Password hashes and readers' emails are in there: only the owner may read a backup.
        target.touch(mode=0o600, exist_ok=True)
        target.chmod(0o600)
        if engine == "sqlite":
            backup_sqlite(connection, target)
        else:
            run_postgres_tool(
                connection, "pg_dump", "--format=custom", "--no-owner", "--file", str(target), "--dbname"
            )
        if not target.exists() or target.stat().st_size == 0:
            raise CommandError(f"The backup at {target} is empty; nothing was saved.")
        self.stdout.write(f"Backup written to {target} ({target.stat().st_size} bytes).")
        return ""


def default_path(engine: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    extension = "sqlite3" if engine == "sqlite" else "pgdump"
    return Path(settings.VAR_DIR) / "backups" / f"byline-{stamp}.{extension}"


def backup_sqlite(connection, target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        with destination:
            connection.connection.backup(destination, pages=1024)
    finally:
        destination.close()


def engine_of(connection) -> str:
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


PG_ENVIRONMENT = [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")]


def run_postgres_tool(connection, tool: str, *arguments: str) -> None:
    """Run pg_dump/pg_restore with `arguments` followed by the database name; the password travels in the
    environment, never on the command line."""
    executable = shutil.which(tool)
    if executable is None:
        raise CommandError(f"{tool} is not installed; on Debian: apt-get install postgresql-client.")
    params = connection.settings_dict
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ]:
        if params.get(key):
            env[variable] = str(params[key])
    # A fixed tool found on PATH, arguments from settings, no shell.
    completed = subprocess.run(  # noqa: S603  # nosec B603
        [executable, *arguments, params["NAME"]], env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise CommandError(f"{tool} failed: {completed.stderr.strip()[-2000:]}")
