"""The anonymous page cache: readers without a session get home, section, tag, journalist and article pages
from Django's cache (locmem in one process, Redis across app servers), invalidated exactly and at once.

How invalidation stays exact on every app server: each page path (`/`, `/city/`, `/city/a-story/`, …) has a
*version token* in the shared cache, and so has the whole site (`*`, for navigation changes). A cached page
remembers the tokens it was rendered under, read *before* rendering; it is served only while both still
match. A change bumps the tokens (a new random value, after commit), so a page rendered concurrently with
the change is never served. Random tokens, not counters: a token evicted from Redis simply makes its pages
miss, it can never bring an old page back.

Scheduled articles appear on time: every cached page expires no later than the next scheduled publication
(the time is itself cached with a token that every article change bumps).

Only responses that are 200, set no cookie and carry no per-reader CSRF token are stored. Each is stored
once plain and once gzipped, so no request pays zlib, and served with Cache-Control, ETag and Last-Modified
so nginx or a CDN in front can cache and revalidate (conditional GETs get a 304).
"""

import functools
import gzip
import hashlib
import logging
import math
import re
import time
from collections.abc import Callable, Iterable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.http import http_date, parse_http_date_safe

from byline.core.cache import current_tokens, new_token
from byline.core.conf import byline_setting
from byline.core.urls import cached_reverse
from byline.web import published
from byline.web.purge import purge_paths

logger = logging.getLogger("byline.web.caching")

PREFIX = "byline:pages"
SITE_WIDE = "*"
CACHEABLE_VIEWS = frozenset(
    {"home", "newsroom:section", "newsroom:tag", "newsroom:article", "journalists:detail"}
)
# Query parameters that never change a page (campaign tracking): left out of the cache key.
IGNORED_PARAMS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "ref"})
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
MESSAGES_COOKIE = "messages"
_SCHEDULE_TOKEN = f"{PREFIX}:schedule-token"
_NEXT_SCHEDULED = f"{PREFIX}:next-scheduled"
FAST_PATH_ENTRY = "byline.page_cache.entry"


def version_key(path: str) -> str:
    return f"{PREFIX}:v:{path}"


def signed_in_path(path: str) -> str:
    """The name of a token only signed-in readers' views of `path` depend on (never a cached page's): a
    comment held for moderation changes what its author sees there, and nothing anonymous readers see."""
    return f"{path}#signed-in"


def _entry_key(request: HttpRequest) -> str:
    params = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name not in IGNORED_PARAMS and not name.startswith("utm_")
        for value in values
    )
    query = "&".join(f"{name}={value}" for name, value in params)
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"{PREFIX}:page:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


# --- Reading -------------------------------------------------------------------------------------------


def is_anonymous_request(request: HttpRequest) -> bool:
    """No session, no pending flash messages, no credentials: the page is the same for every such reader."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and MESSAGES_COOKIE not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _page_dependencies(request: HttpRequest) -> list[str] | None:
    """The paths whose version tokens a page depends on (known from its address), or None if not cached.

    An article page also lists related articles from its section, so it depends on the section too.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name not in CACHEABLE_VIEWS:
        return None
    if match.view_name == "newsroom:article":
        return [request.path, section_path(match.kwargs["section"]), SITE_WIDE]
    return [request.path, SITE_WIDE]


def _article_tag_dependencies(request: HttpRequest) -> list[str]:
    """An article page lists related articles sharing its tags: it depends on those tags' pages too.

    Looked up before rendering (on a miss only), so that a change racing the render is never missed.
    """
    match = resolve(request.path_info)
    if match.view_name != "newsroom:article":
        return []
    tag_model = apps.get_model("newsroom", "Tag")
    slugs = tag_model.objects.filter(
        articles__section__slug=match.kwargs["section"], articles__slug=match.kwargs["slug"]
    ).values_list("slug", flat=True)
    return [tag_path(slug) for slug in slugs]


def _versions(paths: list[str], found: dict | None = None) -> list:
    found = found if found is not None else cache.get_many([version_key(p) for p in paths])
    return [found.get(version_key(path)) for path in paths]


def ensure_versions(paths: list[str]) -> list:
    """The current tokens of `paths`, a new one made for any path that has none yet (one round trip when
    all exist). Read before rendering: a change racing the render then makes what it rendered stale."""
    return current_tokens([version_key(path) for path in paths])


def next_scheduled_publication() -> float | None:
    """Epoch seconds of the next scheduled article's publication, or None; cached until an article changes."""
    now = time.time()
    found = cache.get_many([_SCHEDULE_TOKEN, _NEXT_SCHEDULED])
    token, cached = found.get(_SCHEDULE_TOKEN), found.get(_NEXT_SCHEDULED)
    fresh = cached and cached["token"] == token and (cached["at"] is None or cached["at"] > now)
    if token is not None and fresh:
        return cached["at"]
    if token is None:
        cache.add(_SCHEDULE_TOKEN, new_token(), timeout=None)
        token = cache.get(_SCHEDULE_TOKEN)
    from django.utils import timezone

    article_model = apps.get_model("newsroom", "Article")
    upcoming = (
        article_model.objects.exclude(status=article_model.Status.DRAFT)
        .filter(published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    at = upcoming.timestamp() if upcoming else None
    if token is not None:
        cache.set(_NEXT_SCHEDULED, {"token": token, "at": at}, timeout=3600)
    return at


# --- The middleware ------------------------------------------------------------------------------------


class AnonymousPageCacheMiddleware:
    """Serve and store anonymous readers' pages. Place it after WhiteNoise and before SessionMiddleware:
    a hit then skips sessions, CSRF and authentication entirely, while the security headers (added by
    the middleware above it) still go on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "GET" or not byline_setting("BYLINE_PAGE_CACHE"):
            return self.get_response(request)
        if not is_anonymous_request(request):
            # Checked first: a signed-in reader's request pays no URL resolving here.
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            if match is not None and match.view_name in CACHEABLE_VIEWS and "Cache-Control" not in response:
                response["Cache-Control"] = "private, no-cache"
            return response
        dependencies = _page_dependencies(request)
        if dependencies is None:
            return self.get_response(request)
        key = _entry_key(request)  # an unknown Host raises here: Django answers 400, as without the cache
        try:
            entry = self._lookup(key, dependencies)
            if entry is not None:
                if published.directory() is not None and not published.is_published(request):
                    published.publish(request, entry)
                return _respond(request, entry, hit=True)
            dependencies += _article_tag_dependencies(request)
            versions = ensure_versions(dependencies)
        except Exception:
            logger.exception("Page cache unreachable; rendering %s live.", request.path)
            return self.get_response(request)
        response = self.get_response(request)
        if None in versions or not _storable(response):
            return response
        try:
            entry = _store(key, dependencies, versions, response)
        except Exception:
            logger.exception("Could not store %s in the page cache.", request.path)
            return response
        published.publish(request, entry)
        return _respond(request, entry, hit=False)

    @staticmethod
    def _lookup(key: str, dependencies: list[str]) -> dict | None:
        """The stored page if every token it was rendered under is still current; one round trip, two
        when the page depends on more than its address says (an article's tags)."""
        found = cache.get_many([key, *(version_key(path) for path in dependencies)])
        entry = found.get(key)
        if not entry or entry["expires"] <= time.time():
            return None
        extra = [path for path in entry["dependencies"] if path not in dependencies]
        if extra:
            found.update(cache.get_many([version_key(path) for path in extra]))
        current = _versions(entry["dependencies"], found)
        if None in current or current != entry["versions"]:
            return None
        return entry


_SKIPPED_HEADERS = {
    "content-length",
    "content-encoding",
    "vary",
    "cache-control",
    "expires",
    "etag",
    "last-modified",
    "set-cookie",
}


def _storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Content-Encoding"):
        return False  # the stored body is the page itself, compressed here once
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    if "*" in response.get("Vary", ""):
        return False
    if b"csrfmiddlewaretoken" in response.content:
        # Django also sets the CSRF cookie then, so this is a second lock on the same door.
        logger.warning("Not caching a page that carries a CSRF token; anonymous pages should have none.")
        return False
    return True


def _store(key: str, dependencies: list[str], versions: list, response: HttpResponse) -> dict:
    now = time.time()
    timeout = int(byline_setting("BYLINE_PAGE_CACHE_TIMEOUT"))
    bounded_by_schedule = False
    upcoming = next_scheduled_publication()
    if upcoming is not None and upcoming - now < timeout:
        timeout = max(1, math.ceil(upcoming - now))
        bounded_by_schedule = True
    body = response.content
    entry = {
        "dependencies": dependencies,
        "versions": versions,
        "headers": [(k, v) for k, v in response.items() if k.lower() not in _SKIPPED_HEADERS],
        "body": body,
        "gzip": gzip.compress(body, compresslevel=6, mtime=0) if len(body) > 256 else None,
        "etag": f'W/"{hashlib.sha256(body).hexdigest()[:32]}"',
        "last_modified": int(now),
        "expires": now + timeout,
        "bounded_by_schedule": bounded_by_schedule,
    }
    cache.set(key, entry, timeout=timeout)
    return entry


def cache_control(entry: dict) -> str:
    remaining = max(0, int(entry["expires"] - time.time()))
    parts = [
        "public",
        f"max-age={min(int(byline_setting('BYLINE_CACHE_MAX_AGE')), remaining)}",
        f"s-maxage={min(int(byline_setting('BYLINE_CACHE_S_MAXAGE')), remaining)}",
    ]
    stale = int(byline_setting("BYLINE_CACHE_STALE_WHILE_REVALIDATE"))
    if stale and not entry["bounded_by_schedule"]:
        parts.append(f"stale-while-revalidate={stale}")
    return ", ".join(parts)


def _etag_matches(header: str, etag: str) -> bool:
    wanted = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


def _not_modified(request: HttpRequest, entry: dict) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        return _etag_matches(if_none_match, entry["etag"])
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and entry["last_modified"] <= since


def _respond(request: HttpRequest, entry: dict, *, hit: bool) -> HttpResponse:
    if _not_modified(request, entry):
        response = HttpResponseNotModified()
    else:
        accepts = request.META.get("HTTP_ACCEPT_ENCODING", "")
        use_gzip = entry["gzip"] is not None and ACCEPTS_GZIP.search(accepts)
        response = HttpResponse(entry["gzip"] if use_gzip else entry["body"])
        for name, value in entry["headers"]:
            response[name] = value
        if use_gzip:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(response.content))
        # The WSGI fast path (fastpath.py) keeps this answer for repeats while the entry's tokens hold.
        request.environ[FAST_PATH_ENTRY] = entry
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    response["Cache-Control"] = cache_control(entry)
    response["Vary"] = "Cookie, Accept-Encoding"
    response["X-Byline-Cache"] = "HIT" if hit else "MISS"
    return response


# --- Invalidation ----------------------------------------------------------------------------------------


def invalidate_paths(paths: Iterable[str]) -> None:
    """Make the cached pages at `paths` (and their ?page=N) stale everywhere now; then purge shared caches.

    Call it after commit (see `invalidate_on_commit`): a page re-rendered before the commit would
    otherwise be cached with the old content under the new token.
    """
    paths = set(paths)
    if not paths:
        return
    tokens = {version_key(path): new_token() for path in paths}
    if not published.invalidate(paths, tokens):  # with page files, it stores the tokens and deletes files
        cache.set_many(tokens, timeout=None)
    if SITE_WIDE in paths:
        logger.info("Site-wide page cache invalidation; shared caches expire by s-maxage.")
    purge_paths(path for path in paths if path != SITE_WIDE)


def _bump(paths: set[str]) -> None:
    cache.set_many({version_key(path): new_token() for path in paths}, timeout=None)


def _schedule_changed() -> None:
    cache.set(_SCHEDULE_TOKEN, new_token(), timeout=None)


def bump_tokens_on_commit(paths: set[str]) -> None:
    """Replace tokens now and after commit, purging nothing: for tokens no shared cache keys pages by."""
    try:
        _bump(paths)
    except Exception:
        logger.exception("Page cache unreachable; the invalidation after commit will retry.")
    transaction.on_commit(lambda: _bump(paths), robust=True)


def invalidate_on_commit(paths: Iterable[str], *, schedule_changed: bool = False) -> None:
    """Bump the tokens now and again after commit, then purge.

    Now: so that reads inside the same transaction (a preview after an edit, a test) do not get the old page.
    After commit: a page rendered between the two bumps may show the old data, and the second bump makes
    it stale; only then are shared caches told to refetch.
    """
    paths = set(paths)
    if not (paths or schedule_changed):
        return

    def run() -> None:
        if schedule_changed:
            _schedule_changed()
        invalidate_paths(paths)

    try:
        if paths:
            _bump(paths)
        if schedule_changed:
            _schedule_changed()
    except Exception:
        logger.exception("Page cache unreachable; the invalidation after commit will retry.")
    transaction.on_commit(run, robust=True)


def section_path(slug: str) -> str:
    return cached_reverse("newsroom:section", section=slug)


def tag_path(slug: str) -> str:
    return cached_reverse("newsroom:tag", slug=slug)


def journalist_path(slug: str) -> str:
    return cached_reverse("journalists:detail", slug=slug)


def article_pages(article_id: int) -> set[str]:
    """Every page an article shows on: its own, home, its section, its tags, its journalists.

    One query, written once per process: every published comment asks this after commit, and the three
    ORM queries it replaced cost about 1 ms of CPU a post, most of it compiling them.
    """
    from byline.newsroom.models import article_path

    with connection.cursor() as cursor:
        cursor.execute(_article_pages_sql(connection.vendor), [article_id] * 3)
        rows = cursor.fetchall()
    own = [(section_slug, slug) for kind, section_slug, slug in rows if kind == "article"]
    if not own:
        return set()
    paths = {"/", section_path(own[0][0]), article_path(*own[0])}
    paths |= {tag_path(slug) for kind, slug, _ in rows if kind == "tag"}
    paths |= {journalist_path(slug) for kind, slug, _ in rows if kind == "journalist"}
    return paths


@functools.cache
def _article_pages_sql(vendor: str) -> str:
    """(kind, slug, slug) rows: the article's section and own slug, then each tag's and journalist's."""
    from byline.newsroom.models import Article, Byline, Section

    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(name).column)}"

    def table(model) -> str:
        return quote(model._meta.db_table)

    journalist = Byline._meta.get_field("journalist").related_model
    tags = Article._meta.get_field("tags").remote_field.through
    tag = Article._meta.get_field("tags").related_model
    tag_link = {f.related_model: f.column for f in tags._meta.concrete_fields if f.is_relation}
    # Model metadata only; the article's id is the one parameter (three times).
    return (
        f"SELECT 'article', {column(Section, 'slug')}, {column(Article, 'slug')} FROM {table(Article)}"  # noqa: S608  # nosec B608
        f" INNER JOIN {table(Section)} ON {column(Section, 'id')} = {column(Article, 'section')}"
        f" WHERE {column(Article, 'id')} = %s"
        f" UNION ALL SELECT 'tag', {column(tag, 'slug')}, '' FROM {table(tag)}"
        f" INNER JOIN {table(tags)} ON {table(tags)}.{quote(tag_link[tag])} = {column(tag, 'id')}"
        f" WHERE {table(tags)}.{quote(tag_link[Article])} = %s"
        f" UNION ALL SELECT 'journalist', {column(journalist, 'slug')}, '' FROM {table(journalist)}"
        f" INNER JOIN {table(Byline)} ON {column(Byline, 'journalist')} = {column(journalist, 'id')}"
        f" WHERE {column(Byline, 'article')} = %s"
    )
