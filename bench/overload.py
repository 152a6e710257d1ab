# ruff: noqa: E402  (sets up the import path before importing the shared bench helpers)
"""Overload: four times the measured capacity for 60 s, then how fast the service is normal again.

    .venv/bin/python bench/overload.py [--duration 60] [--factor 4] [--no-write]

For the anonymous article page and for the comment POST (signed-in reader, full moderation pipeline):
1. capacity: 16 closed-loop clients for 10 s (after a warm-up) against gunicorn directly;
2. overload: an open-loop generator offers `factor` × capacity requests per second for `duration` seconds,
   each request on its own connection (gunicorn's sync workers close them anyway), at most MAX_IN_FLIGHT
   outstanding so the generator itself stays bounded;
3. counts 2xx/3xx/4xx, deliberate 503s with Retry-After, other 5xx, timeouts and refused connections;
4. gunicorn's memory (RSS of master and workers) before and after;
5. recovery: from the end of the overload until five probes in a row answer correctly within
   3 × the idle latency (+20 ms).

Traffic goes only to 127.0.0.1, to a stack of its own (PostgreSQL database byline_security_bench, Redis
db 7). Figures only: nothing here passes or fails. Writes the "Overload" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "deploy"), str(ROOT / "bench")]

import run_all  # the shared stack helpers of `make bench`
from localstack import LocalStack

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/byline_security_bench"
REDIS_URL = "redis://127.0.0.1:6379/7"
MAX_IN_FLIGHT = 2000
CAPACITY_CONNECTIONS = 16
REQUEST_TIMEOUT = 10.0


@dataclass
class Target:
    name: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    post_prefix: str = ""

    def request(self, number: int, port: int) -> bytes:
        body = b""
        if self.method == "POST":
            text = f"{self.post_prefix}+{number}+{random.randrange(10**9)}"  # unique: no duplicate folding
            body = f"body={text}".encode()
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
        # Stamped as nginx stamps what it forwards (`t=${msec}`), so a shedding server sees the queue time.
        lines.append(f"X-Request-Start: t={time.time():.3f}")
        lines += [f"{key}: {value}" for key, value in self.headers.items()]
        if body:
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    deliberate_503: int = 0
    timeouts: int = 0
    refused: int = 0
    not_sent: int = 0
    latencies: list[float] = field(default_factory=list)

    @property
    def other_5xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500) - self.deliberate_503


async def send(target: Target, number: int, port: int) -> tuple[int, bool, float]:
    """One request on a fresh connection: (status, has Retry-After, seconds)."""
    started = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), REQUEST_TIMEOUT)
    try:
        writer.write(target.request(number, port))
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), REQUEST_TIMEOUT)
        await asyncio.wait_for(reader.read(), REQUEST_TIMEOUT)
    finally:
        writer.close()
    status = int(head.split(b" ", 2)[1])
    return status, b"\r\nretry-after:" in head.lower(), time.perf_counter() - started


async def offer(target: Target, port: int, *, rate: float, duration: float) -> Tally:
    """Open loop: request n leaves at n / rate seconds, whether or not earlier ones were answered."""
    tally, pending = Tally(), set()

    async def one(number: int) -> None:
        try:
            status, retry_after, seconds = await send(target, number, port)
        except TimeoutError:
            tally.timeouts += 1
            return
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            tally.refused += 1
            return
        tally.statuses[status] += 1
        tally.latencies.append(seconds)
        if status == 503 and retry_after:
            tally.deliberate_503 += 1

    loop = asyncio.get_running_loop()
    start = loop.time()
    sent = 0
    while (now := loop.time()) - start < duration:
        due = int((now - start) * rate)
        while sent < due:
            if len(pending) >= MAX_IN_FLIGHT:
                tally.not_sent += 1
            else:
                task = asyncio.create_task(one(sent))
                pending.add(task)
                task.add_done_callback(pending.discard)
            sent += 1
        await asyncio.sleep(0.002)
    if pending:  # whatever is still waiting when the minute is over gets REQUEST_TIMEOUT to finish
        await asyncio.wait(pending, timeout=REQUEST_TIMEOUT)
        for task in pending:
            task.cancel()
    return tally


def probe_once(target: Target, port: int, number: int) -> tuple[bool, float]:
    try:
        status, _, seconds = asyncio.run(send(target, number, port))
    except Exception:
        return False, REQUEST_TIMEOUT
    return status in (200, 201), seconds


def idle_latency(target: Target, port: int) -> float:
    samples = [probe_once(target, port, 10**8 + n)[1] for n in range(10)]
    return statistics.median(samples)


def recovery_seconds(target: Target, port: int, limit: float, give_up: float = 60.0) -> float | None:
    """Seconds from now until the first of five consecutive good, fast answers."""
    start = time.monotonic()
    streak_started, streak = None, 0
    number = 2 * 10**8
    while time.monotonic() - start < give_up:
        number += 1
        moment = time.monotonic()
        ok, seconds = probe_once(target, port, number)
        if ok and seconds <= limit:
            streak_started = moment if streak == 0 else streak_started
            streak += 1
            if streak == 5:
                return streak_started - start
        else:
            streak = 0
        time.sleep(0.05)
    return None


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def gunicorn_rss_mb(stack: LocalStack) -> float:
    total = 0
    for process in stack.processes:
        for pid in descendants(process.pid):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            if match and b"gunicorn" in cmdline:
                total += int(match.group(1))
    return total / 1024


@dataclass
class Result:
    name: str
    capacity: float
    offered: float
    duration: int
    tally: Tally
    rss_before: float
    rss_after: float
    idle_ms: float
    recovery: float | None

    def line(self) -> str:
        t = self.tally
        ok = sum(n for s, n in t.statuses.items() if s < 400)
        p50 = statistics.median(t.latencies) * 1000 if t.latencies else float("nan")
        recovery = f"{self.recovery:.1f} s" if self.recovery is not None else "not within 60 s"
        return (
            f"| {self.name} | {self.capacity:,.0f} | {self.offered:,.0f} | {ok:,} | "
            f"{sum(n for s, n in t.statuses.items() if 400 <= s < 500):,} | {t.deliberate_503:,} | "
            f"{t.other_5xx:,} | {t.timeouts:,} | {t.refused + t.not_sent:,} | {p50:,.0f} | "
            f"{self.rss_before:,.0f} → {self.rss_after:,.0f} | {self.idle_ms:.1f} | {recovery} |"
        )


async def closed_loop(target: Target, port: int, *, connections: int, seconds: float) -> float:
    """Capacity: `connections` clients, each sending its next request when the last is answered.
    Returns correct answers (2xx/3xx) per second."""
    done = 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds

    async def client(offset: int) -> None:
        nonlocal done
        number = 3 * 10**8 + offset * 10**6
        while loop.time() < deadline:
            number += 1
            try:
                status, _, _ = await send(target, number, port)
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError):
                continue
            if status < 400 and loop.time() < deadline:
                done += 1

    await asyncio.gather(*(client(n) for n in range(connections)))
    return done / seconds


def measure(stack: LocalStack, target: Target, *, factor: float, duration: int) -> Result:
    port = run_all.APP_PORT
    time.sleep(10)  # let the previous case's backlog drain first
    # Unrecorded warm-up: workers load the toxicity model lazily, and a restarted worker starts cold.
    asyncio.run(closed_loop(target, port, connections=8, seconds=10))
    capacity = asyncio.run(closed_loop(target, port, connections=CAPACITY_CONNECTIONS, seconds=10))
    print(f"{target.name}: capacity {capacity:,.1f} req/s", flush=True)
    idle = idle_latency(target, port)
    time.sleep(2)
    rss_before = gunicorn_rss_mb(stack)
    offered = factor * capacity
    print(f"{target.name}: offering {offered:,.0f} req/s for {duration} s …", flush=True)
    tally = asyncio.run(offer(target, port, rate=offered, duration=duration))
    recovery = recovery_seconds(target, port, limit=3 * idle + 0.020)
    time.sleep(2)
    rss_after = gunicorn_rss_mb(stack)
    result = Result(
        target.name, capacity, offered, duration, tally, rss_before, rss_after, idle * 1000, recovery
    )
    print(result.line(), flush=True)
    return result


def section(results: list[Result], factor: float, duration: int, load: tuple[float, float, float]) -> str:
    shedding = (
        '"No shedding" is settings.py as committed; "shed at N ms" adds LoadSheddingMiddleware '
        "(tests/security/overload_settings.py, BYLINE_SHED_QUEUE_MS=N), the generator stamping "
        "X-Request-Start as nginx would"
    )
    lines = [
        "## Overload",
        "",
        f"`bench/overload.py`, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, on {run_all.machine()}. "
        f"Load average at the start: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}. {shedding}.",
        f"Capacity: {CAPACITY_CONNECTIONS} closed-loop clients for 10 s (after a 10 s warm-up), against "
        f"gunicorn directly ({(os.cpu_count() or 1) + 1} sync "
        f"workers, PostgreSQL, Redis). Overload: an open-loop generator offers {factor:g} × that for "
        f"{duration} s, one connection per request, at most {MAX_IN_FLIGHT} outstanding, "
        f"{REQUEST_TIMEOUT:g} s timeout. The generator runs on the same cores as the server, so it may "
        'fall short of the rate it aims at; "not sent" counts what it dropped itself.',
        "",
        "| Case | Capacity (req/s) | Offered (req/s) | 2xx/3xx | 4xx | 503 + Retry-After | Other 5xx "
        "| Timeouts | Refused / not sent | p50 under load (ms) | gunicorn RSS before → after (MB) "
        "| Idle latency (ms) | Back to normal after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|",
        *[result.line() for result in results],
        "",
        '"Back to normal": five answers in a row, correct and within 3 × the idle latency + 20 ms, counted '
        "from the end of the overload. Targets (issue 9): no 5xx other than 503 with Retry-After, memory "
        "flat, normal again within 5 s.",
    ]
    return "\n".join(lines) + "\n"


def write_results(text: str) -> None:
    """Replace only the "Overload" section of bench/RESULTS.md."""
    path = ROOT / "bench" / "RESULTS.md"
    current = path.read_text() if path.exists() else "# Benchmark results\n"
    pattern = re.compile(r"^## Overload\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated)


def run_variant(options: argparse.Namespace, shed_ms: int) -> list[Result]:
    env = dict(run_all.BENCH_ENV)
    if shed_ms:
        env["DJANGO_SETTINGS_MODULE"] = "tests.security.overload_settings"
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
        env["BYLINE_SHED_QUEUE_MS"] = str(shed_ms)
    stack = LocalStack(
        nginx_port=run_all.NGINX_PORT,
        app_port=run_all.APP_PORT,
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        extra_env=env,
    )
    label = f"shed at {shed_ms} ms" if shed_ms else "no shedding"
    results = []
    with stack:
        data = run_all.prepare_data(stack)
        article = Target(
            f"Article page (anonymous), {label}", "GET", data["cached_path"], {"Accept-Encoding": "gzip"}
        )
        csrf_cookie, token = run_all.csrf_for(data["session_cookie"], data["post_page"])
        post = Target(
            f"Comment POST (signed in, moderation pipeline), {label}",
            "POST",
            data["post_path"],
            {
                "Cookie": f"{data['session_cookie']}; csrftoken={csrf_cookie}",
                "X-CSRFToken": token,
                "Accept": "application/json",
                "Referer": f"http://127.0.0.1:{run_all.APP_PORT}{data['post_page']}",
            },
            post_prefix="Overload+comment",
        )
        common = {"factor": options.factor, "duration": options.duration}
        results.append(measure(stack, article, **common))
        results.append(measure(stack, post, **common))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--factor", type=float, default=4.0)
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument(
        "--shed-ms",
        default="0,1000",
        help="comma-separated runs: 0 = settings.py as it is; N = LoadSheddingMiddleware at N ms queue time",
    )
    options = parser.parse_args()
    load = os.getloadavg()
    run_all.ensure_tools()
    results = []
    for shed_ms in (int(value) for value in options.shed_ms.split(",")):
        results += run_variant(options, shed_ms)
    text = section(results, options.factor, options.duration, load)
    print("\n" + text)
    if not options.no_write:
        write_results(text)
        print("Written to bench/RESULTS.md (Overload section).")


if __name__ == "__main__":
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", "byline_security_bench"],
        capture_output=True,
        check=False,
    )
    main()
