"""Two app servers, one PostgreSQL, one Redis: what one server changes, the other shows at once.

Runs only against real PostgreSQL and Redis (DATABASE_URL=postgres://…, REDIS_URL=redis://…): the point is
that nothing lives in one process's memory.
"""

import os

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory
from tests.ops.stack import Browser, redis_reachable, start_gunicorn

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
REDIS_URL = os.environ.get("REDIS_URL", "")
if not ON_POSTGRES:
    pytest.skip("scale-out needs DATABASE_URL=postgres://… (SQLite is one machine)", allow_module_level=True)
if not redis_reachable(REDIS_URL):
    pytest.skip(f"scale-out needs a reachable Redis in REDIS_URL ({REDIS_URL!r})", allow_module_level=True)


@pytest.fixture(scope="module")
def two_servers(django_db_setup, django_db_blocker):
    db = settings.DATABASES["default"]
    database_url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "BYLINE_COMMENT_POLICY": "byline.comments.policy.approve_all",
        "DB_CONN_MAX_AGE": "0",
    }
    servers = [start_gunicorn(env=env, workers=2), start_gunicorn(env=env, workers=2)]
    yield servers
    for server in servers:
        server.stop()


def warm(browser: Browser, servers, path: str) -> None:
    for server in servers:
        browser.get(server, path)
        assert browser.get(server, path).headers.get("x-byline-cache") == "HIT"


def signed_in(user) -> Browser:
    """A session stored where every app server finds it (Redis, backed by PostgreSQL)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return Browser(cookies={settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value})


def test_an_article_edit_is_on_both_servers_cached_pages_at_once(two_servers, story):
    reader = Browser()
    for path in ["/", "/city/harbour-ferry/", "/journalists/mina-okafor/"]:
        warm(reader, two_servers, path)
    # The edit happens in a third process (this one, like an editor's admin request on a third server).
    story.headline = "Harbour ferry returns for the summer"
    story.save()
    for server in two_servers:
        for path in ["/", "/city/harbour-ferry/", "/journalists/mina-okafor/"]:
            page = reader.get(server, path)
            assert page.status == 200
            assert "Harbour ferry returns for the summer" in page.body, (server.port, path)


def test_a_comment_posted_through_one_server_is_on_the_others_cached_page(two_servers, story):
    first, second = two_servers
    reader = Browser()
    warm(reader, two_servers, "/city/harbour-ferry/")
    warm(reader, two_servers, "/")
    commenter = signed_in(UserFactory())
    text = "Finally a ferry to the islands."
    response = commenter.post_form(
        first, "/city/harbour-ferry/", f"/comments/post/{story.pk}/", {"body": text}
    )
    assert response.status in (200, 302, 303), first.log()
    on_second = reader.get(second, "/city/harbour-ferry/")
    assert "Finally a ferry to the islands." in on_second.body
    assert "1 comment" in reader.get(second, "/").body
    assert "Finally a ferry to the islands." in reader.get(first, "/city/harbour-ferry/").body


def test_a_signed_in_reader_gets_live_pages_from_either_server(two_servers, story):
    member = signed_in(UserFactory(display_name="Ada Reader"))
    for server in two_servers:
        page = member.get(server, "/city/harbour-ferry/")
        assert page.status == 200
        assert "x-byline-cache" not in page.headers
        assert "Ada Reader" in page.body
