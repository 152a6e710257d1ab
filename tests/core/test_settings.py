"""Settings come from the environment: safe in development, a hard stop with advice in production."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from byline.core.conf import SETTINGS, byline_setting

ROOT = Path(__file__).resolve().parents[2]


def run_byline(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "byline.cli", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start_and_says_how_to_fix_it(tmp_path):
    result = run_byline(
        "check", BYLINE_ENV="production", ALLOWED_HOSTS="news.example.org", BYLINE_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start(tmp_path):
    result = run_byline("check", BYLINE_ENV="production", SECRET_KEY="x" * 60, BYLINE_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_development_starts_with_safe_defaults(tmp_path):
    result = run_byline("check", BYLINE_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_sqlite_database_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: this run uses " + connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The test database lives in memory, where SQLite reports "memory"; files get WAL from init_command.
    from django.conf import settings

    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]
    assert mode in {"wal", "memory"}


def test_database_url_selects_postgresql(monkeypatch):
    import dj_database_url

    parsed = dj_database_url.parse("postgres://postgres@127.0.0.1:5432/byline")
    assert parsed["ENGINE"] == "django.db.backends.postgresql"


def test_byline_settings_are_read_at_call_time_from_the_environment(monkeypatch):
    monkeypatch.setenv("BYLINE_PAGE_SIZE", "7")
    assert byline_setting("BYLINE_PAGE_SIZE") == 7
    monkeypatch.setenv("BYLINE_SITE_NAME", "The Harbour Herald")
    assert byline_setting("BYLINE_SITE_NAME") == "The Harbour Herald"


def test_unknown_byline_setting_fails_with_advice():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="byline/core/conf.py"):
        byline_setting("BYLINE_NO_SUCH_THING")


def test_every_byline_setting_is_documented():
    from django.apps import apps

    assert apps.ready  # every app has registered its settings by now
    docs = (ROOT / "README.md").read_text(encoding="utf-8")
    docs += "".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md")))
    documented = set(re.findall(r"\bBYLINE_[A-Z0-9_]+\b", docs))
    missing = sorted(set(SETTINGS) - documented)
    assert not missing, f"Document these settings in README.md or docs/: {missing}"


@pytest.mark.parametrize(("switch", "prepared"), [({}, True), ({"DB_PREPARED": "0"}, False)])
def test_postgresql_prepares_repeated_statements_unless_told_not_to(tmp_path, switch, prepared):
    # PgBouncer before 1.21 (transaction pooling) cannot carry prepared statements: DB_PREPARED=0.
    show = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"
    result = run_byline(
        "shell",
        "-c",
        show,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/byline_settings_probe",
        BYLINE_VAR_DIR=str(tmp_path),
        **switch,
    )
    assert result.returncode == 0, result.stderr
    options = result.stdout
    assert ("'server_side_binding': True" in options) is prepared
    assert ("'prepare_threshold': 5" in options) is prepared
