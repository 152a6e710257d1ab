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
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.http import http_date, parse_http_date_safe

from byline.core.cache import current_tokens, new_token
from byline.core.conf import byline_setting
from byline.core.urls import cached_reverse
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
    _bump(paths)
    if SITE_WIDE in paths:
        logger.info("Site-wide page cache invalidation; shared caches expire by s-maxage.")
    purge_paths(path for path in paths if path != SITE_WIDE)


def _bump(paths: set[str]) -> None:
    cache.set_many({version_key(path): new_token() for path in paths}, timeout=None)


def _schedule_changed() -> None:
    cache.set(_SCHEDULE_TOKEN, new_token(), timeout=None)


def _bump_on_commit(paths: set[str]) -> None:
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
    """Every page an article shows on: its own, home, its section, its tags, its journalists."""
    from byline.newsroom.models import Article, Byline, Tag, article_path

    try:
        section_slug, slug = Article.objects.values_list("section__slug", "slug").get(pk=article_id)
    except Article.DoesNotExist:
        return set()
    paths = {"/", section_path(section_slug), article_path(section_slug, slug)}
    paths |= {tag_path(s) for s in Tag.objects.filter(articles=article_id).values_list("slug", flat=True)}
    journalists = Byline.objects.filter(article=article_id).values_list("journalist__slug", flat=True)
    paths |= {journalist_path(s) for s in journalists}
    return paths


# --- Signal handlers: which change touches which pages ----------------------------------------------------


def _is_shown(status: str | None) -> bool:
    """Published and scheduled articles are (or will be) on pages; drafts are on none."""
    return status is not None and status != "draft"


def _article_before_save(sender, instance, raw: bool = False, **kwargs) -> None:
    instance._page_cache_before = None
    if raw or not instance.pk:
        return
    before = sender.objects.filter(pk=instance.pk).values_list("status", "section__slug", "slug").first()
    instance._page_cache_before = before


def _article_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    from byline.newsroom.models import article_path

    before = getattr(instance, "_page_cache_before", None)
    paths: set[str] = set()
    if before and _is_shown(before[0]):
        paths |= {"/", section_path(before[1]), article_path(before[1], before[2])}
    if _is_shown(instance.status):
        paths |= article_pages(instance.pk)
    invalidate_on_commit(paths, schedule_changed=True)


def _article_before_delete(sender, instance, **kwargs) -> None:
    # Before the delete: its tags and bylines are gone afterwards.
    if _is_shown(instance.status):
        invalidate_on_commit(article_pages(instance.pk), schedule_changed=True)


def _article_tags_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in {"pre_clear", "post_add", "post_remove"}:
        return
    if reverse:  # tag.articles.add(...): rare, editorial; refresh everything
        invalidate_on_commit([SITE_WIDE])
        return
    if _is_shown(instance.status):
        paths = article_pages(instance.pk)
        if pk_set:
            from byline.newsroom.models import Tag

            paths |= {tag_path(s) for s in Tag.objects.filter(pk__in=pk_set).values_list("slug", flat=True)}
        invalidate_on_commit(paths)


def _byline_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    from byline.newsroom.models import Article

    status = Article.objects.filter(pk=instance.article_id).values_list("status", flat=True).first()
    if _is_shown(status):
        paths = article_pages(instance.article_id)
        paths.add(journalist_path(instance.journalist.slug))
        invalidate_on_commit(paths)


def _journalist_before_save(sender, instance, raw: bool = False, **kwargs) -> None:
    instance._page_cache_old_slug = None
    if not raw and instance.pk:
        old = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True)
        instance._page_cache_old_slug = old.first()


def _journalist_changed(sender, instance, **kwargs) -> None:
    """A name or bio shows on the journalist's page, on their articles and on every listing of those."""
    if kwargs.get("raw"):
        return
    from byline.newsroom.models import Article, Tag, article_path

    paths = {journalist_path(instance.slug)}
    old_slug = getattr(instance, "_page_cache_old_slug", None)
    if old_slug:
        paths.add(journalist_path(old_slug))
    articles = Article.objects.exclude(status="draft").filter(bylines__journalist=instance.pk)
    rows = list(articles.values_list("section__slug", "slug"))
    if rows:
        paths.add("/")
        paths |= {section_path(section) for section, _ in rows}
        paths |= {article_path(section, slug) for section, slug in rows}
        tags = Tag.objects.filter(articles__in=articles).values_list("slug", flat=True).distinct()
        paths |= {tag_path(slug) for slug in tags}
    invalidate_on_commit(paths)


def _journalist_link_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    journalist = apps.get_model("journalists", "Journalist").objects.filter(pk=instance.journalist_id).first()
    if journalist is not None:
        _journalist_changed(sender, journalist)


def _comment_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    """Any change to a comment shows on its article's page: stale now and again after commit (one query).

    What else it may touch (comment counts on listings) is invalidated when comments.services sends
    `comment_changed` after commit, and only when the change can show there.
    """
    if raw:
        return
    path = _loaded_article_path(instance)
    if path is None:
        return
    if kwargs.get("created") and not instance.is_public:
        # Held for moderation: only its author sees it. Anonymous pages (here and in nginx) stay cached.
        _bump_on_commit({signed_in_path(path)})
        return
    invalidate_on_commit({path})


def _loaded_article_path(comment) -> str | None:
    """The comment's article page: from the article and section the caller loaded, else one query."""
    from byline.newsroom.models import Article, article_path

    article = comment._state.fields_cache.get("article")
    if article is not None and article.pk == comment.article_id and "section" in article._state.fields_cache:
        return article_path(article.section.slug, article.slug)
    row = Article.objects.filter(pk=comment.article_id).values_list("section__slug", "slug").first()
    return article_path(*row) if row else None


def _comment_changed_after_commit(sender, comment, listings: bool = True, **kwargs) -> None:
    # Sent after commit by every comments.services path, including changes made with update().
    if listings:
        invalidate_paths(article_pages(comment.article_id))


def _like_changed(sender, instance, **kwargs) -> None:
    """Like counts show on the article page only."""
    if kwargs.get("raw"):
        return
    from byline.newsroom.models import article_path

    comment_model = apps.get_model("comments", "Comment")
    row = (
        comment_model.objects.filter(pk=instance.comment_id)
        .values_list("article__section__slug", "article__slug")
        .first()
    )
    if row:
        invalidate_on_commit({article_path(*row)})


def _commented_article_paths(user_id: int) -> set[str]:
    from byline.newsroom.models import article_path

    comment_model = apps.get_model("comments", "Comment")
    rows = (
        comment_model.objects.filter(author=user_id)
        .values_list("article__section__slug", "article__slug")
        .distinct()
    )
    return {article_path(section, slug) for section, slug in rows}


def _reader_before_save(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    """A reader's public name is on every article they commented under. Logins save last_login only."""
    instance._page_cache_old_name = None
    if raw or not instance.pk or (update_fields is not None and "display_name" not in update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("display_name", "username").first()
    instance._page_cache_old_name = (old[0] or old[1]) if old else None


def _reader_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    old_name = getattr(instance, "_page_cache_old_name", None)
    if raw or old_name is None or old_name == (instance.display_name or instance.username):
        return
    invalidate_on_commit(_commented_article_paths(instance.pk))


def _reader_before_delete(sender, instance, **kwargs) -> None:
    invalidate_on_commit(_commented_article_paths(instance.pk))


def _navigation_changed(**kwargs) -> None:
    if not kwargs.get("raw"):
        invalidate_on_commit([SITE_WIDE])


def connect() -> None:
    """Wire the handlers (from WebConfig.ready). Comment senders are lazy strings: the comments app may
    not have its models yet, and Django connects them once it does."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

    article, journalist, byline = "newsroom.Article", "journalists.Journalist", "newsroom.Byline"
    comment = "comments.Comment"
    uid = "byline-page-cache-"
    pre_save.connect(_article_before_save, sender=article, dispatch_uid=uid + "article-pre")
    post_save.connect(_article_saved, sender=article, dispatch_uid=uid + "article-save")
    pre_delete.connect(_article_before_delete, sender=article, dispatch_uid=uid + "article-delete")
    post_save.connect(_byline_changed, sender=byline, dispatch_uid=uid + "byline-save")
    post_delete.connect(_byline_changed, sender=byline, dispatch_uid=uid + "byline-delete")
    pre_save.connect(_journalist_before_save, sender=journalist, dispatch_uid=uid + "journalist-pre")
    post_save.connect(_journalist_changed, sender=journalist, dispatch_uid=uid + "journalist-save")
    post_delete.connect(_journalist_changed, sender=journalist, dispatch_uid=uid + "journalist-delete")
    link = "journalists.JournalistLink"
    post_save.connect(_journalist_link_changed, sender=link, dispatch_uid=uid + "journalist-link-save")
    post_delete.connect(_journalist_link_changed, sender=link, dispatch_uid=uid + "journalist-link-delete")
    like = "comments.CommentLike"
    post_save.connect(_like_changed, sender=like, dispatch_uid=uid + "like-save")
    post_delete.connect(_like_changed, sender=like, dispatch_uid=uid + "like-delete")
    reader = settings.AUTH_USER_MODEL
    pre_save.connect(_reader_before_save, sender=reader, dispatch_uid=uid + "reader-pre")
    post_save.connect(_reader_saved, sender=reader, dispatch_uid=uid + "reader-save")
    pre_delete.connect(_reader_before_delete, sender=reader, dispatch_uid=uid + "reader-delete")
    post_save.connect(_comment_saved, sender=comment, dispatch_uid=uid + "comment-save")
    post_delete.connect(_comment_saved, sender=comment, dispatch_uid=uid + "comment-delete")
    for model in ("newsroom.Section", "newsroom.Tag"):
        post_save.connect(_navigation_changed, sender=model, dispatch_uid=uid + model + "-save")
        post_delete.connect(_navigation_changed, sender=model, dispatch_uid=uid + model + "-delete")
    tags_through = apps.get_model("newsroom", "Article").tags.through
    m2m_changed.connect(_article_tags_changed, sender=tags_through, dispatch_uid=uid + "article-tags")
    try:
        from byline.comments.signals import comment_changed
    except ImportError:  # pragma: no cover - the comments app without its signal
        return
    comment_changed.connect(_comment_changed_after_commit, dispatch_uid=uid + "comment-changed")
