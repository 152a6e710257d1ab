"""Lighthouse on an article page: prints the Performance, Accessibility, Best Practices and SEO scores.

Starts Byline under gunicorn (WhiteNoise for static files; development mode, so that Django also serves the
demo's uploaded images, which nginx serves in production) on a free local port with a throw-away database
holding the demo content, then runs npm `lighthouse` (installed under bench/node_modules:
`npm --prefix bench install`) with Debian's chromium (CHROME_PATH, default /usr/bin/chromium).

    .venv/bin/python bench/lighthouse.py [--url-path /section/slug/] [--write] [--keep-report]

`--write` replaces the "Lighthouse" section of bench/RESULTS.md with the figures.
Nothing reaches the internet.
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from defusedxml import ElementTree

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = Path(sys.executable).parent
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def byline(*args: str, env: dict) -> None:
    command = [str(VENV_BIN / "byline"), *args]
    subprocess.run(command, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 — our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server at {url} did not answer within {timeout:.0f} s.")


def first_article_path(base: str) -> str:
    with urllib.request.urlopen(f"{base}/sitemap-articles.xml", timeout=10) as response:  # noqa: S310
        root = ElementTree.fromstring(response.read())
    locations = [loc.text for loc in root.iterfind(".//sm:loc", SITEMAP_NS)]
    if not locations:
        raise SystemExit("The demo site has no article in its sitemap.")
    return locations[0].removeprefix(base)


def run_lighthouse(url: str, report: Path, chrome_path: str) -> dict[str, int]:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `npm --prefix bench install` first.")
    env = {**os.environ, "CHROME_PATH": chrome_path}
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    subprocess.run(command, env=env, check=True, cwd=BENCH)
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round((data["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    failing = [
        f"{audit['id']} ({audit.get('score')})"
        for audit in data["audits"].values()
        if audit.get("scoreDisplayMode") in {"binary", "numeric"} and (audit.get("score") or 0) < 0.9
    ]
    if failing:
        print("Audits below 0.9:", ", ".join(sorted(failing)))
    return scores


LABELS = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best Practices",
    "seo": "SEO",
}


def write_results(scores: dict[str, int], path: str, runs: list[dict[str, int]]) -> None:
    results = BENCH / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    rows = "\n".join(
        f"| {LABELS[name]} | {scores[name]} | {each} | {TARGETS[name]} |"
        for name in CATEGORIES
        for each in [" / ".join(str(run[name]) for run in runs)]
    )
    section = (
        "## Lighthouse\n\n"
        f"`bench/lighthouse.py` on `{path}` (demo content, gunicorn, WhiteNoise), "
        f"{dt.date.today().isoformat()}, {platform.node() or 'this machine'} ({os.cpu_count()} CPUs, load "
        f"average {os.getloadavg()[0]:.1f} at the end), Lighthouse's default mobile emulation and "
        "throttling. "
        "Performance moves by a few points with the machine's load (Total Blocking Time).\n\n"
        "| Category | Median | Each run | Target |\n| --- | --- | --- | --- |\n"
        f"{rows}\n"
    )
    pattern = re.compile(r"^## Lighthouse\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    results.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url-path", help="page to audit (default: the newest article in the sitemap)")
    parser.add_argument("--write", action="store_true", help="record the scores in bench/RESULTS.md")
    parser.add_argument("--keep-report", action="store_true", help="keep the last JSON report (path printed)")
    parser.add_argument("--runs", type=int, default=3, help="audits to run; the median of each score is kept")
    args = parser.parse_args()
    chrome_path = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not Path(chrome_path).exists():
        raise SystemExit(f"No browser at {chrome_path}: `apt-get install chromium` or set CHROME_PATH.")

    workdir = Path(tempfile.mkdtemp(prefix="byline-lighthouse-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}
    }
    env.update(
        BYLINE_ENV="development",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BYLINE_VAR_DIR=str(workdir / "var"),
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        BYLINE_SITE_URL=base,
        BYLINE_ADMIN_PASSWORD=secrets.token_urlsafe(16),  # a throw-away site; nobody logs in
    )
    server = None
    try:
        byline("migrate", "--no-input", env=env)
        byline("setup_site", env=env)
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "byline.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_for(f"{base}/robots.txt")
        path = args.url_path or first_article_path(base)
        report = workdir / "lighthouse.json"
        runs = [run_lighthouse(base + path, report, chrome_path) for _ in range(max(1, args.runs))]
        for number, run in enumerate(runs, start=1):
            print(f"run {number}: " + " ".join(f"{name}={run[name]}" for name in CATEGORIES))
        scores = {name: statistics.median_low([run[name] for run in runs]) for name in CATEGORIES}
        print(f"Lighthouse on {path} (median of {len(runs)} run{'s' if len(runs) > 1 else ''})")
        for name in CATEGORIES:
            print(f"  {name:<15} {scores[name]:>3}  (target {TARGETS[name]})")
        if args.write:
            write_results(scores, path, runs)
            print("Written to bench/RESULTS.md (Lighthouse section).")
        if args.keep_report:
            kept = Path(tempfile.gettempdir()) / "byline-lighthouse.json"
            shutil.copy(report, kept)
            print(f"Report: {kept}")
        return 0 if all(scores[name] >= TARGETS[name] for name in CATEGORIES) else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
