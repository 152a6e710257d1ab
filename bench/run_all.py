# ruff: noqa: E402, S603, S607  (sets up the environment before Django imports; runs fixed local tools)
"""`make bench`: start the production stack (deploy/localstack.py) and measure it with wrk.

Prints requests/s and p50/p99 latency for each case of issue 8 and writes them to the "Performance"
section of bench/RESULTS.md (with date and machine). Figures only: nothing here passes or fails.

    .venv/bin/python bench/run_all.py [--duration 10] [--no-write]
"""

import argparse
import datetime as dt
import gzip
import http.client
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "deploy")]

from localstack import STATE, LocalStack, wait_for_port  # noqa: I001


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Free ports, so the bench never collides with a `make prod` or a test server already running.
NGINX_PORT, APP_PORT = free_port(), free_port()
BENCH_ENV = {
    # The full moderation pipeline decides every posted comment.
    "BYLINE_COMMENT_POLICY": "byline.moderation.pipeline.moderate_comment",
    # One bench account posts thousands of comments: lift the per-account limits, measure the pipeline.
    "BYLINE_COMMENT_RATE_PER_MINUTE": "100000000",
    "BYLINE_COMMENT_RATE_PER_DAY": "100000000",
    "BYLINE_COMMENT_DUPLICATE_SECONDS": "0",
    # wrk searches from one address: lift the per-address search limit, measure the search.
    "BYLINE_SEARCH_RATE_PER_MINUTE": "100000000",
    "LOG_LEVEL": "ERROR",
    # Workers are not recycled during the bench: a recycled worker reloads the toxicity classifier and
    # warms its caches again (about a second of CPU), which lands on whichever 10 s case is running.
    "GUNICORN_MAX_REQUESTS": "0",
}


@dataclass
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    connections: int
    note: str = ""
    cpu: dict = field(default_factory=dict)  # ms of CPU per request, by component


def median_of_three(run) -> Result:
    """Run a case three times and keep the run with the median rate: this (virtual) machine's speed moves
    by a third within minutes, and one 10 s run catches whichever phase it lands in."""
    runs = sorted((run() for _ in range(3)), key=lambda result: result.requests_per_second)
    rates = ", ".join(f"{result.requests_per_second:,.0f}" for result in runs)
    runs[1].note = (runs[1].note + " " if runs[1].note else "") + f"median of three runs: {rates} req/s"
    return runs[1]


def ensure_tools() -> None:
    for tool, package in [("nginx", "nginx"), ("wrk", "wrk")]:
        if shutil.which(tool) is None:
            print(f"Installing {package} (Debian) …")
            subprocess.run(["apt-get", "install", "-y", package], check=True)


# Which process is which, by the name the kernel knows it by (/proc/<pid>/stat).
COMPONENTS = {
    "gunicorn": "app",
    "nginx": "nginx",
    "postgres": "PostgreSQL",
    "redis-server": "Redis",
}


def cpu_seconds() -> dict[int, tuple[str, float]]:
    """Each component process's CPU time so far (user + system), by process id."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[int, tuple[str, float]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, _, rest = stat.read_text().rpartition(")")
        except OSError:  # gone meanwhile
            continue
        component = COMPONENTS.get(head.partition("(")[2])
        if component:
            fields = rest.split()
            used[int(stat.parent.name)] = (component, (int(fields[11]) + int(fields[12])) / tick)
    return used


def cpu_spent(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds each component spent between two snapshots. A process that ended in between (a gunicorn
    worker recycled after its max_requests, say) is not counted, so figures can only be low, never high."""
    spent: dict[str, float] = {}
    for pid, (component, seconds) in after.items():
        earlier = before.get(pid)
        start = earlier[1] if earlier and earlier[0] == component else 0.0
        spent[component] = spent.get(component, 0.0) + seconds - start
    return spent


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(
    name: str,
    url: str,
    *,
    duration: int,
    connections: int,
    headers: dict | None = None,
    script: str | None = None,
    note: str = "",
    warmup: int = 3,
) -> Result:
    options = []
    for key, value in (headers or {}).items():
        options += ["-H", f"{key}: {value}"]
    if script:
        options += ["-s", script]
    # Unrecorded warm-up: every worker loads what it loads lazily (templates, the toxicity model) first.
    warm = ["wrk", "-t2", f"-c{connections}", f"-d{warmup}s", "--timeout", "30s", *options, url]
    subprocess.run(warm, capture_output=True, check=True)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s", *options]
    before, children = cpu_seconds(), resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    spent, waited = cpu_spent(before, cpu_seconds()), resource.getrusage(resource.RUSAGE_CHILDREN)
    # wrk has exited by now: its time is in what this process's finished children used.
    spent["wrk"] = waited.ru_utime + waited.ru_stime - children.ru_utime - children.ru_stime
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"\s50%\s+([\d.]+\w+)", output).group(1))
    p99 = to_ms(re.search(r"\s99%\s+([\d.]+\w+)", output).group(1))
    errors = sum(
        int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|Socket errors:.*?timeout):?\s+(\d+)", output)
    )
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    # Milliseconds of CPU per request, by component (a process that ended during the run is not counted).
    cpu = {name: 1000 * seconds / max(requests, 1) for name, seconds in spent.items()}
    result = Result(name, rps, p50, p99, errors, connections, note, cpu)
    print(
        f"{name:<52} {rps:>10.0f} req/s   p50 {p50:>7.2f} ms   p99 {p99:>7.2f} ms   errors {errors}"
        f"   CPU/request {cpu_text(cpu)}"
    )
    return result


def cpu_text(cpu: dict[str, float]) -> str:
    shown = [(name, ms) for name, ms in sorted(cpu.items(), key=lambda item: -item[1]) if ms >= 0.005]
    return ", ".join(f"{name} {ms:.2f}" for name, ms in shown) + f" (all {sum(cpu.values()):.2f} ms)"


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def prepare_data(stack: LocalStack) -> dict:
    """Bench fixtures in the stack's database: a 200-comment article, an article to post to, a reader."""
    os.environ.update(stack.env)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from byline.accounts.models import User
    from byline.comments.models import Comment
    from byline.newsroom.models import Article, Section

    section = Section.objects.order_by("position").first()

    def verified(username: str, display_name: str, email: str) -> User:
        defaults = {"email": email, "display_name": display_name, "email_verified_at": timezone.now()}
        return User.objects.get_or_create(username=username, defaults=defaults)[0]

    reader = verified("bench-reader", "Bench Reader", "bench@example.org")
    # Ten other readers wrote the 200 comments; the signed-in bench reader wrote none of them.
    authors = [
        verified(f"bench-author-{n}", f"Bench Author {n}", f"bench-author-{n}@example.org") for n in range(10)
    ]
    long_thread, created = Article.objects.get_or_create(
        section=section,
        slug="bench-two-hundred-comments-by-others",
        defaults={
            "headline": "Bench: a story with two hundred comments",
            "body_source": "\n\n".join(
                f"Paragraph {n} of a long benchmark story about the harbour." for n in range(60)
            ),
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() - dt.timedelta(hours=1),
        },
    )
    if created or not long_thread.comments.exists():
        Comment.objects.bulk_create(
            Comment(
                article=long_thread,
                author=authors[n % len(authors)],
                body_source=f"Comment {n}: the ferry was late again.",
                body_html=f"<p>Comment {n}: the ferry was late again.</p>",
                status=Comment.Status.APPROVED,
            )
            for n in range(200)
        )
        Article.objects.filter(pk=long_thread.pk).update(comment_count=200)
    posts_to, _ = Article.objects.get_or_create(
        section=section,
        slug="bench-comment-posts",
        defaults={
            "headline": "Bench: comments are posted here",
            "body_source": "Readers post here during the benchmark.",
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() - dt.timedelta(hours=1),
            "comments_open": True,
        },
    )
    cached = Article.objects.live().exclude(slug__startswith="bench-").order_by("-published_at").first()

    def signed_in(user) -> str:
        """The session cookie of `user` signed in (Django's force_login stores the session as login does)."""
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    posters = bench_posters()
    # Each run adds thousands of comments by the bench posters. In production autovacuum keeps the
    # planner's statistics current; a PostgreSQL with autovacuum off (this machine's, for one) would plan
    # the pipeline's queries for a table a fraction of its size.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "cached_path": cached.get_absolute_url(),
        "long_path": long_thread.get_absolute_url(),
        "post_page": posts_to.get_absolute_url(),
        "post_path": f"/comments/post/{posts_to.pk}/",
        "session_cookie": signed_in(reader),
        "posters": posters,
    }


def bench_posters() -> list[tuple[str, str]]:
    """(Cookie header, CSRF token) of POSTERS established, verified readers, each signed in.

    A spike's comments come from many readers, each writing their own: with fewer, every poster would post
    several times a minute and the pipeline would hold most comments as a burst (four within two minutes
    by default), and accounts younger than ten minutes are held too. The sessions are stored as `login()`
    stores them; the CSRF secret and token are made as Django makes them for a browser.
    """
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.http import HttpRequest
    from django.middleware.csrf import get_token
    from django.utils import timezone

    from byline.accounts.models import User

    names = [f"bench-poster-{n}" for n in range(POSTERS)]
    known = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    established = timezone.now() - dt.timedelta(days=30)
    User.objects.bulk_create(
        User(
            username=name,
            email=f"{name}@example.org",
            display_name=name.replace("-", " ").title(),
            email_verified_at=established,
            date_joined=established,
        )
        for name in names
        if name not in known
    )
    # Posters made by an older version of this bench were a few minutes old and unverified at times.
    User.objects.filter(username__in=names).update(date_joined=established, email_verified_at=established)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = "django.contrib.auth.backends.ModelBackend"
    credentials = []
    for user in User.objects.filter(username__in=names).order_by("pk"):
        session = store()
        session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend})
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        browser = HttpRequest()
        token = get_token(browser)
        cookies = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        credentials.append((f"{cookies}; csrftoken={browser.META['CSRF_COOKIE']}", token))
    return credentials


def csrf_for(cookie: str, page: str) -> tuple[str, str]:
    """A CSRF cookie and the matching form token, as a signed-in reader's browser gets them."""
    status, headers, body = get(APP_PORT, page, {"Cookie": cookie})
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
    if status != 200 or not token or not csrf_cookie:
        raise RuntimeError(f"No comment form on {page} for the bench reader (status {status}).")
    return csrf_cookie.group(1), token.group(1).decode()


# Enough readers that none posts four times within two minutes (the burst check) up to 400 comments/s.
POSTERS = 12_000
# Each comment is the bench's own words, drawn at random: no two are the same text (the duplicate check
# holds a text posted again), and every wrk thread and run seeds its own sequence.
POST_SCRIPT = """
local words = {"the", "ferry", "council", "harbour", "bridge", "school", "budget", "market", "rain",
  "bus", "timetable", "library", "park", "street", "vote", "mayor", "housing", "rent", "river", "port",
  "fares", "late", "again", "finally", "good", "news", "why", "not", "earlier", "thanks", "for", "this",
  "report", "my", "neighbours", "agree", "disagree", "with", "plan", "cost", "too", "much", "little",
  "weekend", "morning", "evening", "workers", "families", "cyclists", "drivers", "shops", "closed", "open"}
local credentials = {%(credentials)s}
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  math.randomseed(os.time() * 1000 + tid * 7919)
  nonce = tostring(math.random(1, 1000000000))
  -- Each run (a warm-up and three more, seconds apart) starts further down the list of readers, where
  -- the run before it has not reached at up to 400 posts a second.
  start = (os.time() * 400) %% #credentials
end
request = function()
  counter = counter + 1
  -- The two threads take turns through the readers, so each posts once per #credentials comments.
  local who = (start + (counter - 1) * 2 + tid - 1) %% #credentials + 1
  local text = {}
  for i = 1, math.random(8, 16) do text[i] = words[math.random(#words)] end
  local mark = "+%%28" .. nonce .. "-" .. tid .. "-" .. counter .. "%%29"
  local body = "body=" .. table.concat(text, "+") .. mark
  return wrk.format("POST", "%(path)s", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = credentials[who][1],
    ["X-CSRFToken"] = credentials[who][2],
    ["Accept"] = "application/json",
    ["Referer"] = "http://127.0.0.1:%(port)d%(page)s",
  }, body)
end
"""


def post_script(data: dict) -> str:
    credentials = ", ".join(f'{{"{cookies}", "{token}"}}' for cookies, token in data["posters"])
    values = {"credentials": credentials, "path": data["post_path"], "port": NGINX_PORT}
    return POST_SCRIPT % {**values, "page": data["post_page"]}


GAUGE = "Machine gauge: a do-nothing WSGI app, same gunicorn"


def gauge(duration: int, workers: int) -> Result:
    """The do-nothing app (bench/gauge_wsgi.py) alone under gunicorn with the stack's worker count, class
    and keep-alive (deploy/gunicorn.conf.py, which also loads Byline, so not used here): what this
    machine allows any WSGI app at the time of the run."""
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    options = ["-w", str(workers), "-k", "sync", "--keep-alive", "5", "--log-level", "error"]
    server = subprocess.Popen(
        [gunicorn, *options, "-b", f"127.0.0.1:{port}", "--chdir", str(ROOT / "bench"), "gauge_wsgi"]
    )
    try:
        wait_for_port(port)
        return wrk(GAUGE, f"http://127.0.0.1:{port}/", duration=duration, connections=64)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run(duration: int) -> list[Result]:
    ensure_tools()
    stack = LocalStack(nginx_port=NGINX_PORT, app_port=APP_PORT, extra_env=BENCH_ENV)
    results: list[Result] = [gauge(duration, stack.workers)]
    with stack:
        data = prepare_data(stack)
        gz = {"Accept-Encoding": "gzip"}
        article = data["cached_path"]
        for port in (NGINX_PORT, APP_PORT, NGINX_PORT):  # warm both caches
            get(port, article, gz)
        status, headers, html = get(APP_PORT, article)
        static_dir = STATE / "static" / "bench"
        static_dir.mkdir(parents=True, exist_ok=True)
        (static_dir / "article.html").write_bytes(html)
        (static_dir / "article.html.gz").write_bytes(gzip.compress(html, 6))
        print(
            f"\nArticle page: {len(html)} bytes, {len(gzip.compress(html, 6))} gzipped; nginx says "
            f"{get(NGINX_PORT, article, gz)[1].get('x-cache-status')}\n"
        )

        # The static ceiling itself moves by 10-20 % from one 10 s run to the next on a shared machine: the
        # two cases alternate three times and the pair with the median ratio is reported.
        pairs = []
        for _ in range(3):
            static = wrk(
                "Same HTML as a static file, nginx (ceiling)",
                f"http://127.0.0.1:{NGINX_PORT}/static/bench/article.html",
                duration=duration,
                connections=64,
                headers=gz,
            )
            through = wrk(
                "Article page, cached, through nginx",
                f"http://127.0.0.1:{NGINX_PORT}{article}",
                duration=duration,
                connections=64,
                headers=gz,
            )
            pairs.append((through.requests_per_second / static.requests_per_second, static, through))
        pairs.sort(key=lambda pair: pair[0])
        _, static, through = pairs[1]
        ratios = ", ".join(f"{ratio:.2f}" for ratio, _, _ in pairs)
        through.note = f"{pairs[1][0]:.2f} × static (median of three alternating runs: {ratios})"
        results += [static, through]
        results.append(
            wrk(
                "Article page, cached, gunicorn alone",
                f"http://127.0.0.1:{APP_PORT}{article}",
                duration=duration,
                connections=64,
                headers=gz,
            )
        )
        cookie = data["session_cookie"]
        # A signed-in reader's browser holds the CSRF cookie it got with the sign-in form.
        csrf_cookie, _ = csrf_for(cookie, data["post_page"])
        results.append(
            median_of_three(
                lambda: wrk(
                    "Article with 200 comments, signed-in reader",
                    f"http://127.0.0.1:{NGINX_PORT}{data['long_path']}",
                    duration=duration,
                    connections=16,
                    headers={**gz, "Cookie": f"{cookie}; csrftoken={csrf_cookie}"},
                )
            )
        )
        results.append(
            wrk(
                "Site search (anonymous, live)",
                f"http://127.0.0.1:{NGINX_PORT}/search/?q=harbour",
                duration=duration,
                connections=16,
                headers=gz,
            )
        )
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(post_script(data))
        results.append(
            median_of_three(
                lambda: wrk(
                    "Comment POST, full moderation pipeline",
                    f"http://127.0.0.1:{NGINX_PORT}{data['post_path']}",
                    warmup=20,
                    duration=duration,
                    connections=16,
                    script=script.name,
                )
            )
        )
        os.unlink(script.name)
    return results


def verdict(result: Result, static: Result | None) -> str:
    rps, name = result.requests_per_second, result.name
    if name == "Article page, cached, through nginx" and static:
        return "met" if rps >= 0.8 * static.requests_per_second else "missed"
    if name == "Article page, cached, gunicorn alone":
        return "met" if rps >= 3000 else "missed"
    if name == "Article with 200 comments, signed-in reader":
        return "met" if rps >= 900 else "missed"
    if name == "Comment POST, full moderation pipeline":
        return "met" if rps >= 500 and result.p99_ms <= 50 else "missed"
    return ""


WHERE_THE_TIME_GOES = """
Where the time goes (the CPU column above; py-spy on the workers and in-process timings, 2026-11-26,
2026-12-07 and 2026-12-08).
Every case runs wrk, nginx, gunicorn, PostgreSQL and Redis on the same two cores, so the most a case can
reach is about 2,000 ms of CPU a second divided by its total CPU per request. Figures move by about 10 %
from one run to the next on this (virtual) machine.
- Cached article, app alone: repeat anonymous reads are answered by the WSGI fast path
  (byline/web/fastpath.py) before Django after one Redis round trip that checks the page's version
  tokens. The rest is gunicorn's sync workers (a new connection per request): a do-nothing WSGI app under
  the same gunicorn (the gauge row) served about 7,000 req/s here on 2026-11-26, 4,900 on 2026-12-07 and
  5,500-6,000 on 2026-12-08. Granian (HTTP in Rust, keeps nginx's connections open) served the same
  cached page at 7,100-7,500 req/s against gunicorn's 3,500-3,800 in A/B runs on 2026-12-08, and the
  signed-in page at 1,020-1,200 against 820-1,140; but each Granian worker queues the requests of the
  connections it accepted, so a busy worker's queue waits while another is idle: p99 of the signed-in
  page 37-53 ms against 22-35, of the comment POST 140-180 ms against 115-135 at the same rate, and with
  a worker limited to the requests it can run at once (--backpressure 1-4) some requests waited 6-8 s.
  gunicorn's sync workers take each request from one shared queue; they stay.
- Cached article through nginx: the app writes each anonymous page it caches as a file (page files,
  byline/web/published.py) and nginx sends it like the static file, with the app's security headers
  (about a tenth of the remaining gap). A proxy-cache hit, which this replaced, cost nginx about twice
  the CPU of a static file (the cache lookup, reading and parsing the stored headers): 0.6-0.8 x static.
  nginx keeps the files open and checks them every second; not keeping them open cost about a fifth.
- Signed-in 200-comment page (50 threads shown, the default page size): the story's parts, the page around
  them (web/page_shell.py) and the comment list come from worker memory after one Redis round trip that
  also reads the reader's session (core/sessions.py); then one PostgreSQL query for the reader's row and
  their account menu, CSRF token (one 64-byte random read, core/csrf.py) and likes. One like form per page
  (each Like button names it) took the page from 82 to 74 KB. nginx's gzip of it cost about 0.37 ms a
  request (a fifth of the page's CPU); the app now sends it gzipped itself (web/gzip_pieces.py): the
  stretches between the reader's CSRF tokens are compressed once per worker, the token goes in between
  uncompressed, and nginx passes the answer on (nginx CPU 0.41 -> 0.16 ms, 881 -> about 1,000 req/s).
  The reader's browser sends the CSRF cookie it got at sign-in: without it, every answer minted a new
  secret and cookie (about 15 % more app CPU). Single 10 s runs of this case on the same code measured
  from 670 to 1,024 req/s on 2026-11-26 as the machine's speed moved; hence the median of three.
- Site search: ranking, snippets for the page shown, the articles with their bylines (four queries, whose
  ORM compilation is about a third of the app's CPU) and the template. The form's section and journalist
  lists are kept per worker under the page cache's tokens (about a fifth of a search before).
- Comment POST, since 2026-12-08 from 12,000 established readers, each comment a text of its own, so
  nearly all are published. Before, 50 readers posted texts that repeated across wrk's threads and runs,
  and 94 % of the comments were held (the same text again, or a burst of four within two minutes): that
  path costs about 8 ms of app CPU, the published one 9.5-13 ms and 1.5-4 ms of PostgreSQL. A published
  comment also counts itself, replaces the tokens of the pages it shows on (its article, home, its
  section, tags and journalists; one query for those since 2026-12-08), and has nginx refresh those
  pages (each refresh renders the page once). Refreshes cost a third of the case on 2026-12-08 (with them
  off, 148-192/s against 86-146/s): each of the three workers refreshed the same pages twice a second,
  and the story's page sorted all its 37,000 threads (100 ms of PostgreSQL a render). Now the processes
  share one round of refreshes per half second through Redis, and the first page of threads is read in
  order from a partial index: 131-160/s, PostgreSQL 2.0-2.5 ms a post against 4-4.7. The rest is
  Django's request, session, CSRF and rate-limit handling, the text checks and the one-query moderation
  signals, the insert of the comment and its audit row in one transaction, and the comment's HTML for
  the answer; no one part is more than a fifth of it. 500/s with p99 <= 50 ms needs under 4 ms of CPU per
  comment in all on this machine: about a third of today's cost.
"""

TARGETS = {
    "Article page, cached, through nginx": "≥ 0.8 × static",
    "Article page, cached, gunicorn alone": "≥ 3,000 req/s",
    "Article with 200 comments, signed-in reader": "≥ 900 req/s at 16 connections",
    "Comment POST, full moderation pipeline": "≥ 500 req/s, p99 ≤ 50 ms",
}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.platform()}, Python {platform.python_version()}, {nginx}"
    )


def section(results: list[Result], duration: int, load: tuple[float, float, float]) -> str:
    lines = [
        "## Performance",
        "",
        f"`make bench` (bench/run_all.py), {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, on {machine()}.",
        f"wrk 2 threads, {duration} s per case (the signed-in page and the comment POST: the median of three "
        f"runs), `--latency`; gunicorn {LocalStack.workers} sync "
        "workers (not recycled during the run), PostgreSQL, Redis, nginx with page files and a proxy cache — "
        "all on this one machine, so wrk competes for the same cores. The signed-in reader sends the session "
        f"and CSRF cookies a browser holds after signing in; comment POSTs come from {POSTERS} signed-in "
        "readers in turn.",
        "This is a virtual machine whose speed changes from hour to hour (the same code's figures have "
        "moved by a third between runs): compare runs by the gauge, the first row.",
        f"Load average at the start: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min); other "
        "work on the machine lowers every figure, the app-server ones most.",
        "",
        "| Case | Connections | Requests/s | p50 (ms) | p99 (ms) | Errors | Target | Verdict | Note "
        "| CPU per request (ms) |",
        "|---|---:|---:|---:|---:|---:|---|---|---|---|",
    ]
    static = next((r for r in results if r.name.startswith("Same HTML")), None)
    for r in results:
        lines.append(
            f"| {r.name} | {r.connections} | {r.requests_per_second:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} "
            f"| {r.errors} | {TARGETS.get(r.name, '')} | {verdict(r, static)} | {r.note} "
            f"| {cpu_text(r.cpu)} |"
        )
    lines.append("")
    lines.append(
        "Errors are non-2xx/3xx answers plus requests that timed out (10 s). CPU per request: user + system "
        "time of each component's processes during the run (/proc), divided by the requests served; two "
        "cores give 2,000 ms of CPU a second, so 2,000 / the total is the most this machine could serve."
    )
    return "\n".join(lines) + "\n" + WHERE_THE_TIME_GOES


def write_results(text: str) -> None:
    """Replace only the "Performance" section of bench/RESULTS.md (other sections belong to other benches)."""
    path = ROOT / "bench" / "RESULTS.md"
    current = path.read_text() if path.exists() else "# Benchmark results\n"
    pattern = re.compile(r"^## Performance\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    options = parser.parse_args()
    load = os.getloadavg()
    results = run(options.duration)
    text = section(results, options.duration, load)
    print("\n" + text)
    if not options.no_write:
        write_results(text)
        print("Written to bench/RESULTS.md (Performance section).")


if __name__ == "__main__":
    main()
