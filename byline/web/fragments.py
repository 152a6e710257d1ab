"""The parts of an article page that are the same for every reader, cached for signed-in readers.

Anonymous readers get whole pages from the page cache (`caching.py`); a signed-in reader's page is rendered
for them, but most of it — the story, its bylines, notes and related articles, its meta tags — is what
everyone sees. Those parts are kept in Django's cache under the same version tokens the page cache uses
for the article's page (its own address, its section's, its tags' and the site-wide token), read before
the queries that fill them, so they are exactly as fresh as the anonymous page. Like a cached page, they
expire no later than the next scheduled publication (related articles may gain one then).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.core.cache import cache

from byline.comments.rendering import joined_version
from byline.comments.worker_cache import WorkerCache, templates_version
from byline.core import sessions
from byline.newsroom import selectors
from byline.newsroom.models import Article, article_path
from byline.web import caching

PREFIX = "byline:article-parts"
TIMEOUT = 3600
# What the parts are rendered from: a new release's templates never meet parts an older one rendered.
TEMPLATES = (
    "web/_article_meta.html",
    "web/_social_meta.html",
    "web/_article_main.html",
    "web/_article_card.html",
)
# Per worker process: the parts used last, each served only while its tokens are current.
_IN_WORKER = WorkerCache(budget_bytes=4 * 2**20)


@dataclass(frozen=True)
class ArticleParts:
    """The article (without its prefetched relations), the HTML of its meta tags and of its main part, the
    version the comments section is cached by (the tokens of `comment_version_paths`, joined) as read
    for this request before any query, or None when the section must read it, and the header's sections
    when they came with the same round trip (else base.html asks for them); on a hit, `shell_key` names
    the entry and the navigation's version, under which `page_shell` keeps the page around them."""

    article: Article
    meta: str
    main: str
    version: str | None = None
    nav: tuple[selectors.NavSection, ...] | None = None
    shell_key: str | None = None  # names these parts and the navigation, for `page_shell` (hits only)


def article_parts(
    *, section_slug: str, slug: str, render: Callable[[Article], tuple[str, str]], session=None
) -> ArticleParts:
    """The live article at /<section_slug>/<slug>/ and its shared parts, or Http404.

    On a hit no query runs and one round trip to the cache reads the version tokens (the parts themselves
    come from this worker's memory when it has them). On a miss the article is read with everything its
    page shows and `render(article)` returns its (meta, main) HTML. A `session` not loaded yet is read in
    the same round trip when its engine can be (core/sessions.py).
    """
    key = f"{PREFIX}:{templates_version(*TEMPLATES)}:{section_slug}/{slug}"
    page, section_page = article_path(section_slug, slug), caching.section_path(section_slug)
    dependencies = [page, section_page, caching.SITE_WIDE]
    try:
        local = _IN_WORKER.peek(key)
        keys = [caching.version_key(path) for path in (local[1]["dependencies"] if local else dependencies)]
        # The comments section's and the navigation's tokens come in the same round trip.
        keys += [caching.version_key(caching.signed_in_path(page)), selectors.NAV_VERSION_KEY]
        # So does a signed-in reader's session (core/sessions.py).
        session_key = sessions.prefetch_key(session)
        keys += [session_key] if session_key else []
        found = cache.get_many(keys if local else [key, *keys])
        if session_key:
            session.prefetched(found.get(session_key))
        entry = local[1] if local else found.get(key)
        parts = _current(found, entry)
        if parts is None and local:
            entry = cache.get(key)  # another worker may have rendered them already
            parts = _current(found, entry)
        if parts is not None:
            if local is not None and entry is local[1]:
                _IN_WORKER.get(key, local[0])  # now the most recently used
            else:
                size = 2 * (len(parts.meta) + len(parts.main))
                _IN_WORKER.put(key, tuple(entry["versions"]), entry, size=size)
            # Shared by this worker's requests: read it, never change it.
            tokens = [found.get(caching.version_key(path)) for path in comment_version_paths(page)]
            nav_version = found.get(selectors.NAV_VERSION_KEY)
            nav = selectors.navigation_sections(version=nav_version)
            shell_key = None
            if nav_version is not None:
                shell_key = ":".join([key, repr(entry["expires"]), *map(str, entry["versions"]), nav_version])
            return replace(parts, version=joined_version(tokens), nav=nav, shell_key=shell_key)
        versions = caching.ensure_versions(dependencies)
    except Exception:  # the shared cache is down: render live, as the page cache does
        caching.logger.exception("Cache unreachable; rendering the article parts live.")
        versions = [None]
    article = selectors.article_for_reader(section_slug=section_slug, slug=slug)
    tags = [caching.tag_path(tag.slug) for tag in article.tags.all()]
    try:
        # After the article's own tokens, before related articles are read: a tag change is never missed.
        versions += caching.ensure_versions(tags) if None not in versions else []
    except Exception:
        caching.logger.exception("Cache unreachable; not keeping the article parts.")
        versions = [None]
    meta, main = render(article)
    if None not in versions:
        shared = copy.copy(article)
        shared._prefetched_objects_cache = {}  # the parts hold what the page shows of them
        try:
            _store(key, dependencies + tags, versions, ArticleParts(article=shared, meta=meta, main=main))
        except Exception:
            caching.logger.exception("Could not keep the parts of %s.", key)
    # The comments section reads its tokens itself (one round trip) after a miss here.
    return ArticleParts(article=article, meta=meta, main=main)


def _current(found: dict, entry: dict | None) -> ArticleParts | None:
    """The entry's parts if every token they were made under is still current (`found` holds tokens)."""
    if not entry or entry["expires"] <= time.time():
        return None
    extra = [path for path in entry["dependencies"] if caching.version_key(path) not in found]
    if extra:
        found.update(cache.get_many([caching.version_key(path) for path in extra]))
    current = [found.get(caching.version_key(path)) for path in entry["dependencies"]]
    return entry["parts"] if current == entry["versions"] else None


def _store(key: str, dependencies: list[str], versions: list, parts: ArticleParts) -> None:
    expires = time.time() + TIMEOUT
    upcoming = caching.next_scheduled_publication()
    if upcoming is not None:
        expires = min(expires, upcoming)
    timeout = max(1, int(expires - time.time()))
    entry = {"dependencies": dependencies, "versions": versions, "expires": expires, "parts": parts}
    cache.set(key, entry, timeout=timeout)


def comment_version_paths(page: str) -> tuple[str, str, str]:
    """The token paths a signed-in reader's comments section on `page` is cached by: the page's own token
    (published comments, likes, edits), the site-wide one (imports, restores) and the signed-in one
    (comments held for moderation, which only their authors see)."""
    return (page, caching.SITE_WIDE, caching.signed_in_path(page))
