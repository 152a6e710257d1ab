"""Start real app servers (gunicorn) for the ops tests, and talk to them like a browser would."""

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_reachable(url: str) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class AppServer:
    port: int
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        """What the server wrote to stderr (tracebacks of 500s end up here)."""
        return self.log_path.read_text(errors="replace")[-5000:]

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_gunicorn(*, env: dict[str, str], workers: int = 2, port: int | None = None) -> AppServer:
    port = port or free_port()
    full_env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    log_path = Path(tempfile.mkstemp(prefix=f"gunicorn-{port}-", suffix=".log")[1])
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "byline.wsgi:application"],
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    server = AppServer(port, process, log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {server.log()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("gunicorn did not start listening within 30 s")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Browser:
    """Just enough of a browser: cookies, CSRF tokens from forms, plain HTTP/1.1."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, server: AppServer, method: str, path: str, form: dict | None = None) -> Response:
        from urllib.parse import urlencode

        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        headers = {"Host": f"127.0.0.1:{server.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if form is not None:
            data = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=headers)
        raw = connection.getresponse()
        body = raw.read().decode(errors="replace")
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name.strip()] = rest.split(";", 1)[0]
        response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, body)
        connection.close()
        return response

    def get(self, server: AppServer, path: str) -> Response:
        return self.request(server, "GET", path)

    def post_form(self, server: AppServer, page: str, action: str, fields: dict) -> Response:
        """Load `page` (for its CSRF token), then post `fields` to `action` the way the form would."""
        loaded = self.get(server, page)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', loaded.body)
        assert match, f"no form with a CSRF token on {page}"
        return self.request(server, "POST", action, {"csrfmiddlewaretoken": match.group(1), **fields})
