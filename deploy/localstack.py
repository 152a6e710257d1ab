# ruff: noqa: S603, S607  (an operator tool: runs fixed local programs, never a shell, never user input)
"""Run Byline's production stack on this machine: gunicorn + Debian's nginx + PostgreSQL + Redis.

    python deploy/localstack.py            # what `make prod` runs; Ctrl-C stops it
    python deploy/localstack.py --help

Production mode (BYLINE_ENV=production, hashed static files, the page cache on Redis) over plain HTTP on
localhost, so SECURE_SSL_REDIRECT is off; everything else is as deployed. bench/run_all.py uses
`LocalStack` from here. State (secret key, static files, nginx files, proxy cache) lives in var/prod/.
"""

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
STATE = ROOT / "var" / "prod"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/byline_ops"
DEFAULT_REDIS = "redis://127.0.0.1:6379/6"

NGINX_MAIN = """\
{user}
worker_processes auto;
pid {nginx}/nginx.pid;
error_log {nginx}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {nginx}/tmp/body;
    proxy_temp_path {nginx}/tmp/proxy;
    fastcgi_temp_path {nginx}/tmp/fastcgi;
    uwsgi_temp_path {nginx}/tmp/uwsgi;
    scgi_temp_path {nginx}/tmp/scgi;
    include {nginx}/byline.conf;
}}
"""


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout:.0f} s")


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def render_nginx(
    directory: Path,
    *,
    upstream: str,
    port: int,
    static_root: Path,
    media_root: Path,
    pages_root: Path,
    page_headers: str,
    page_files: bool = True,
) -> Path:
    """Write nginx.conf around our site file: a whole server, run with `nginx -p DIR -c DIR/nginx.conf`.

    `page_headers` is what `byline page_files headers` prints; `pages_root` is BYLINE_PAGE_FILES_DIR, where
    the app writes pages when `page_files`."""
    for sub in ("tmp", "cache"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    pages_root.mkdir(parents=True, exist_ok=True)  # the app writes there only with BYLINE_PAGE_FILES_DIR
    (directory / "page-headers.conf").write_text(page_headers)
    site = (ROOT / "deploy" / "nginx" / "byline.conf").read_text()
    for name, value in {
        "@PAGES_DIR@": str(pages_root),
        "@PAGE_FILES@": "1" if page_files else "0",
        "@PAGE_HEADERS@": str(directory / "page-headers.conf"),
        "@UPSTREAM@": upstream,
        "@CACHE_DIR@": str(directory / "cache"),
        "@LISTEN@": f"127.0.0.1:{port}",
        "@SERVER_NAME@": "127.0.0.1 localhost",
        "@STATIC_ROOT@": str(static_root),
        "@MEDIA_ROOT@": str(media_root),
    }.items():
        site = site.replace(name, value)
    (directory / "byline.conf").write_text(site)
    user = "user root root;" if os.geteuid() == 0 else ""
    main = directory / "nginx.conf"
    main.write_text(NGINX_MAIN.format(user=user, nginx=directory))
    return main


def start_nginx(main: Path) -> subprocess.Popen:
    return subprocess.Popen(["nginx", "-p", str(main.parent), "-c", str(main), "-g", "daemon off;"])


@dataclass
class LocalStack:
    nginx_port: int = 8080
    app_port: int = 8001
    workers: int = (os.cpu_count() or 1) + 1
    database_url: str = field(default_factory=lambda: os.environ.get("PROD_DATABASE_URL", DEFAULT_DB))
    redis_url: str = field(default_factory=lambda: os.environ.get("PROD_REDIS_URL", DEFAULT_REDIS))
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        STATE.mkdir(parents=True, exist_ok=True)
        key_file = STATE / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        return {
            **os.environ,
            "BYLINE_ENV": "production",
            "SECRET_KEY": key_file.read_text().strip(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "STATIC_ROOT": str(STATE / "static"),
            "BYLINE_SITE_URL": f"http://127.0.0.1:{self.nginx_port}",
            "BYLINE_CACHE_PURGE_BACKEND": "byline.web.purge.NginxRefreshPurgeBackend",
            "BYLINE_CACHE_PURGE_URLS": f"http://127.0.0.1:{self.nginx_port}",
            "BYLINE_PAGE_FILES_DIR": str(STATE / "pages"),
            "DJANGO_SETTINGS_MODULE": "byline.settings",
            **self.extra_env,
        }

    def byline(self, *args: str) -> None:
        # nginx is not up yet while preparing: nothing to purge.
        env = {**self.env, "BYLINE_CACHE_PURGE_BACKEND": "byline.web.purge.DummyPurgeBackend"}
        subprocess.run([str(VENV_BIN / "byline"), *args], cwd=ROOT, env=env, check=True)

    def check_services(self) -> None:
        if not reachable(self.database_url, 5432):
            raise SystemExit(f"No PostgreSQL at {self.database_url}: `service postgresql start`.")
        if not reachable(self.redis_url, 6379):
            raise SystemExit(f"Redis is not reachable at {self.redis_url}: `service redis-server start`.")
        if shutil.which("nginx") is None:
            raise SystemExit("nginx is not installed: `apt-get install nginx` (make prod does this).")
        parts = urlsplit(self.database_url)
        name = parts.path.lstrip("/")
        subprocess.run(
            ["createdb", "-h", parts.hostname or "127.0.0.1", "-U", parts.username or "postgres", name],
            capture_output=True,
            check=False,
        )

    def prepare(self) -> None:
        """Migrate, collect (hashed, pre-compressed) static files, load the demo newsroom if empty."""
        self.check_services()
        self.byline("migrate", "--no-input", "-v", "0")
        self.byline("collectstatic", "--no-input", "-v", "0")
        self.byline("setup_site")
        self.render_nginx()

    def render_nginx(self) -> Path:
        headers = subprocess.run(
            [str(VENV_BIN / "byline"), "page_files", "headers"],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return render_nginx(
            STATE / "nginx",
            upstream=f"127.0.0.1:{self.app_port}",
            port=self.nginx_port,
            static_root=STATE / "static",
            media_root=Path(os.environ.get("MEDIA_ROOT", str(ROOT / "var" / "media"))),
            pages_root=STATE / "pages",
            page_headers=headers,
        )

    def start(self) -> "LocalStack":
        gunicorn_env = {
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{self.app_port}",
            "WEB_CONCURRENCY": str(self.workers),
        }
        self.processes.append(
            subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "byline.wsgi"],
                cwd=ROOT,
                env=gunicorn_env,
            )
        )
        main = STATE / "nginx" / "nginx.conf"
        shutil.rmtree(STATE / "nginx" / "cache", ignore_errors=True)
        (STATE / "nginx" / "cache").mkdir(parents=True)
        self.processes.append(start_nginx(main))
        wait_for_port(self.app_port)
        wait_for_port(self.nginx_port)
        return self

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    def __enter__(self) -> "LocalStack":
        self.prepare()
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=8080, help="nginx port (default 8080)")
    parser.add_argument("--app-port", type=int, default=8001, help="gunicorn port (default 8001)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    options = parser.parse_args()
    stack = LocalStack(nginx_port=options.port, app_port=options.app_port, workers=options.workers)
    # `kill`/systemd stop: leave through the same path as Ctrl-C, so gunicorn and nginx stop too.
    signal.signal(signal.SIGTERM, _interrupt)
    with stack:
        print(f"Byline (production mode): http://127.0.0.1:{options.port}/, gunicorn on :{options.app_port}.")
        print("Ctrl-C stops it.")
        try:
            while all(process.poll() is None for process in stack.processes):
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
