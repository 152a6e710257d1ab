"""A throwaway production-like stack for the crash tests: gunicorn serving byline.wsgi against a database of
its own (a file SQLite database in a temporary folder, or a dedicated PostgreSQL database), driven from
outside through HTTP like any reader would, and inspected through `byline shell`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    var_dir: Path
    database_url: str = ""
    workers: int = 3
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("BYLINE_", "DATABASE_URL", "REDIS_URL", "PYTEST", "DJANGO_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="byline.settings",
            BYLINE_ENV="development",
            BYLINE_VAR_DIR=str(self.var_dir),
            BYLINE_COMMENT_RATE_PER_MINUTE="0",
            BYLINE_COMMENT_RATE_PER_DAY="0",
            BYLINE_COMMENT_POLICY="byline.comments.policy.approve_all",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            WEB_CONCURRENCY=str(self.workers),
            GUNICORN_THREADS="1",
            GUNICORN_TIMEOUT="20",
            LOG_LEVEL="ERROR",
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
            env["DB_CONN_MAX_AGE"] = "0"
        return env

    def manage(self, *args: str, timeout: float = 120) -> str:
        result = subprocess.run(
            [str(BIN / "byline"), *args],
            env=self.env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"byline {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def python(self, code: str) -> object:
        """Run `code` in `byline shell`; it must print one line of JSON, which is returned parsed."""
        output = self.manage("shell", "-c", code)
        return json.loads(output.strip().splitlines()[-1])

    def start(self) -> None:
        self.log_path = self.var_dir / "gunicorn.log"
        command = [str(BIN / "gunicorn"), "byline.wsgi:application"]
        if GUNICORN_CONF.exists():
            command += ["-c", str(GUNICORN_CONF)]
        else:
            command += ["-b", f"127.0.0.1:{self.port}", "-w", str(self.workers)]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, env=self.env(), cwd=ROOT, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-2000:]}")
            with suppress(requests.RequestException):
                if requests.get(self.url + "/accounts/login/", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer: {self.log_path.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no graceful shutdown, no atexit, no flush."""
        if self.process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    stop = kill


def postgres_admin_url(database_url: str) -> str:
    """The same server as `database_url`, database `postgres` (to create and drop others)."""
    head, _, _ = database_url.rpartition("/")
    return head + "/postgres"


def create_postgres_database(database_url: str, name: str) -> str:
    import psycopg

    admin = postgres_admin_url(database_url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin.rpartition("/")[0] + "/" + name


def drop_postgres_database(database_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(postgres_admin_url(database_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
