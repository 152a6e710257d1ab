"""Kill the app servers mid-stream and lose nothing: every comment that was acknowledged is stored exactly
once, and nothing is stored by halves.

Several clients post comments to gunicorn (several workers) over HTTP; the whole server is SIGKILLed while
they post, started again, and the clients carry on. Runs on a file SQLite database, and on PostgreSQL when
DATABASE_URL names a PostgreSQL server (a dedicated database is created and dropped).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests

from tests.security.stack import Stack, create_postgres_database, drop_postgres_database

pytestmark = pytest.mark.slow

CLIENTS = 6
PASSWORD = "a long and unusual passphrase 4417"
SETUP = f"""
import json
from datetime import timedelta
from django.utils import timezone
from byline.accounts.models import User
from byline.newsroom.models import Article, Section
section = Section.objects.create(name="Crash", slug="crash")
article = Article(section=section, slug="crash-course", headline="Crash course",
                  body_source="The servers will be killed under this article.",
                  status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=1))
article.full_clean()
article.save()
for n in range({CLIENTS}):
    user = User(username=f"crasher{{n}}", email=f"crasher{{n}}@example.org", display_name=f"Crasher {{n}}",
                email_verified_at=timezone.now())
    user.set_password({PASSWORD!r})
    user.save()
print(json.dumps({{"article": article.pk}}))
"""
INSPECT = """
import json
from byline.comments.models import Comment
from byline.newsroom.models import Article
article = Article.objects.get(slug="crash-course")
rows = list(Comment.objects.filter(article=article).values("id", "body_source", "body_html", "status",
                                                           "is_removed", "is_shadowed"))
public = sum(1 for r in rows if r["status"] == "approved" and not r["is_removed"] and not r["is_shadowed"])
print(json.dumps({"rows": rows, "comment_count": article.comment_count, "public": public}))
"""


@dataclass
class Outcome:
    acknowledged: dict[str, int] = field(default_factory=dict)  # body -> id the server answered with
    refused: list[str] = field(default_factory=list)  # the server answered with an error
    unknown: list[str] = field(default_factory=list)  # no answer: the server died while we waited
    refusals: Counter = field(default_factory=Counter)  # why, for the failure message
    lock: threading.Lock = field(default_factory=threading.Lock)


def logged_in_session(base: str, email: str) -> requests.Session:
    session = requests.Session()
    form = session.get(base + "/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = session.post(
        base + "/accounts/login/",
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def client_loop(number: int, stack: Stack, article_id: int, stop: threading.Event, outcome: Outcome) -> None:
    base = stack.url
    session = None
    sent = 0
    while not stop.is_set():
        try:
            if session is None:
                session = logged_in_session(base, f"crasher{number}@example.org")
        except (requests.RequestException, AttributeError):
            session = None
            time.sleep(0.05)
            continue
        body = f"Client {number} says hello for the {sent}th time."
        sent += 1
        try:
            response = session.post(
                f"{base}/comments/post/{article_id}/",
                data={"body": body},
                headers={
                    "Accept": "application/json",
                    "X-CSRFToken": session.cookies.get("csrftoken", ""),
                    "Referer": base + "/",
                },
                timeout=10,
            )
        except requests.RequestException:
            with outcome.lock:
                outcome.unknown.append(body)
            time.sleep(0.05)
            continue
        with outcome.lock:
            if response.status_code in (200, 201) and response.json().get("ok"):
                outcome.acknowledged[body] = response.json()["id"]
            else:
                outcome.refused.append(body)
                outcome.refusals[f"{response.status_code} {response.text[:200]}"] += 1


def wait_for_progress(outcome: Outcome, *, more: int, timeout: float = 60) -> None:
    """Wait until `more` further comments were acknowledged: then the clients are mid-stream."""
    with outcome.lock:
        target = len(outcome.acknowledged) + more
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with outcome.lock:
            if len(outcome.acknowledged) >= target:
                return
        time.sleep(0.05)
    raise AssertionError(f"the server stopped taking comments: {outcome.refusals.most_common(3)}")


def run_and_kill(stack: Stack, *, kills: int = 2) -> None:
    stack.manage("migrate", "--noinput", timeout=300)
    article_id = stack.python(SETUP)["article"]
    stack.start()
    outcome, stop = Outcome(), threading.Event()
    threads = [
        threading.Thread(target=client_loop, args=(n, stack, article_id, stop, outcome), daemon=True)
        for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    try:
        for _ in range(kills):
            wait_for_progress(outcome, more=15)
            stack.kill()
            stack.start()
        wait_for_progress(outcome, more=15)  # the restarted server takes comments again
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=20)
        stack.stop()

    stored = stack.python(INSPECT)
    bodies = Counter(row["body_source"] for row in stored["rows"])
    ids = {row["body_source"]: row["id"] for row in stored["rows"]}

    assert outcome.unknown or outcome.refused, "the kill never hit a request in flight"
    for body, comment_id in outcome.acknowledged.items():
        assert bodies[body] == 1, f"acknowledged comment stored {bodies[body]} times: {body}"
        assert ids[body] == comment_id
    for body in outcome.refused:
        assert bodies[body] == 0, f"a refused comment was stored: {body}"
    for body in outcome.unknown:
        assert bodies[body] <= 1, f"a comment whose answer was lost is stored twice: {body}"
    for row in stored["rows"]:
        assert row["body_html"].strip(), f"comment {row['id']} was stored without its rendered text"
        assert max(bodies.values()) == 1
    assert stored["comment_count"] == stored["public"], "the article's comment count lost track"


def test_killing_gunicorn_on_sqlite_loses_no_acknowledged_comment(tmp_path):
    run_and_kill(Stack(var_dir=tmp_path))


def test_killing_gunicorn_on_postgresql_loses_no_acknowledged_comment(tmp_path):
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL does not name a PostgreSQL server")
    name = "byline_security_crash"
    url = create_postgres_database(database_url, name)
    try:
        run_and_kill(Stack(var_dir=tmp_path, database_url=url))
    finally:
        drop_postgres_database(database_url, name)
