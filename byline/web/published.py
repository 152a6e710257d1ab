"""Published pages: anonymous readers' pages written as files that nginx serves without asking the app.

A proxy-cache hit costs nginx about twice the CPU of sending a static file (it looks the entry up, reads
and parses the stored response's headers). With `BYLINE_PAGE_FILES_DIR` set, each page the page cache
stores (`caching.py`) is also written there as `<path>/index.html` and `index.html.gz`, and
deploy/nginx/byline.conf sends it to readers without a session, query string or credentials exactly as it
sends a static file. Only for app servers that share a disk with nginx (the same host, or a shared
directory); otherwise leave it unset and nginx's proxy cache does the job.

Exact, through the same version tokens as every other layer (nginx keeps files open and checks them once
a second, so a deleted page stops being sent within a second):
- Every file is listed in Redis under each token it was rendered under. An invalidation (after commit)
  replaces the tokens, then takes the lists and deletes their files.
- A writer lists its file, moves it into place, then reads the tokens again and deletes the file if one
  changed. Whichever of the two runs second removes it: an old page never outlives a change.
- Time: each file has a deadline, the page cache's timeout or, when sooner, the next scheduled publication
  less the time browsers and CDNs may keep the page (`margin()`). A thread in every app process
  (`start()`, from gunicorn's worker start) deletes due files every few seconds; `byline page_files sweep`
  does the same from cron. From then on the app answers, with Cache-Control bounded by the schedule.
- A new release (templates or static files changed) deletes every file when its first worker starts, and
  an older release's workers stop writing. If Redis loses the lists (a restart, a flush), the next write
  or sweep deletes every file first: a file nobody can find to delete is never served for long.
- Redis must not evict the lists: `maxmemory-policy` noeviction or a volatile-* policy (the lists and
  tokens have no expiry; cached pages do).
"""

import hashlib
import logging
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from byline.core.conf import byline_setting

logger = logging.getLogger("byline.web.published")

PAGE = "index.html"
_KEY = "byline:page-files"
_SWEEP_SECONDS = 5.0


class PageFilesUnavailable(RuntimeError):
    """BYLINE_PAGE_FILES_DIR is set but the cache is not Redis: the file lists must be shared."""


def directory() -> Path | None:
    value = byline_setting("BYLINE_PAGE_FILES_DIR")
    return Path(value) if value else None


def _redis():
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client_of is None:
        raise PageFilesUnavailable("BYLINE_PAGE_FILES_DIR needs the Redis cache (REDIS_URL).")
    return client_of(write=True)


def _key(*parts: str) -> str:
    return cache.make_key(":".join((_KEY, *parts)))


def relative_file(path: str) -> str | None:
    """`<path>index.html` for a page address ending in "/", or None when it must not become a file."""
    if not path.startswith("/") or not path.endswith("/") or "\x00" in path or "\\" in path:
        return None
    parts = path.strip("/").split("/") if path != "/" else []
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    return "/".join([*parts, PAGE])


def margin() -> int:
    """How long before a scheduled publication files must be gone: what a browser or CDN may keep."""
    return max(
        int(byline_setting("BYLINE_CACHE_MAX_AGE")),
        int(byline_setting("BYLINE_CACHE_S_MAXAGE"))
        + int(byline_setting("BYLINE_CACHE_STALE_WHILE_REVALIDATE")),
    )


def _for_this_site(request: HttpRequest) -> bool:
    """Files have no host or scheme in their name: write only what readers of the public address get."""
    site = urlsplit(byline_setting("BYLINE_SITE_URL"))
    host, _ = split_domain_port(request.get_host())
    return request.scheme == site.scheme and host == (site.hostname or "")


# --- Releases -------------------------------------------------------------------------------------------


_release: list[str] = []


def release() -> str:
    """A digest of the templates and static files this process serves (computed once per process)."""
    if not _release:
        digest = hashlib.blake2b(digest_size=8)
        roots = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
        roots += sorted(Path(settings.BASE_DIR).glob("byline/*/templates"))
        for root in roots:
            for template in sorted(root.rglob("*")):
                if template.is_file():
                    digest.update(str(template.relative_to(root)).encode())
                    digest.update(template.read_bytes())
        manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
        if settings.STATIC_ROOT and manifest.is_file():
            digest.update(manifest.read_bytes())
        _release.append(digest.hexdigest())
    return _release[0]


# --- Writing ---------------------------------------------------------------------------------------------


def publish(request: HttpRequest, entry: dict) -> bool:
    """Write the page cache's `entry` (just stored or served) as this address's file; True if written.

    Never raises: a page that cannot be published is still served by the app.
    """
    root = directory()
    if root is None or request.META.get("QUERY_STRING") or not _for_this_site(request):
        return False
    if _started != [os.getpid()]:
        start()
    relative = relative_file(request.path)
    if relative is None:
        return False
    now = time.time()
    deadline = min(entry["expires"], now + int(byline_setting("BYLINE_PAGE_CACHE_TIMEOUT")))
    from byline.web.caching import next_scheduled_publication, version_key

    try:
        upcoming = next_scheduled_publication()
        if upcoming is not None:
            deadline = min(deadline, upcoming - margin())
        if deadline <= now + 1:
            return False
        redis = _redis()
        if not _may_write(redis):
            return False
        pipe = redis.pipeline(transaction=False)
        for path in entry["dependencies"]:
            pipe.sadd(_key("by", path), relative)
        pipe.zadd(_key("deadlines"), {relative: deadline})
        pipe.execute()
        target = root / relative
        if entry.get("gzip"):
            _write(target.with_name(PAGE + ".gz"), entry["gzip"])
        else:  # too small to compress: nginx must not find an older page's .gz
            _unlink(target.with_name(PAGE + ".gz"))
        _write(target, entry["body"])
        found = cache.get_many([version_key(path) for path in entry["dependencies"]])
        if [found.get(version_key(path)) for path in entry["dependencies"]] != entry["versions"]:
            _remove([relative])  # a change landed while we wrote: it may have missed this file
            return False
    except Exception:
        logger.exception("Could not publish %s as a file.", request.path)
        return False
    return True


def is_published(request: HttpRequest) -> bool:
    root, relative = directory(), relative_file(request.path)
    return root is not None and relative is not None and (root / relative).is_file()


def _write(target: Path, content: bytes) -> None:
    _make_directories(target.parent)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.fchmod(descriptor, 0o644)  # whatever the umask: nginx's workers read it, only we write
        os.write(descriptor, content)
    finally:
        os.close(descriptor)
    os.replace(temporary, target)  # readers see the old file or the new one, never half of one


def _make_directories(directory: Path) -> None:
    if directory.is_dir():
        return
    _make_directories(directory.parent)
    try:
        directory.mkdir()
    except FileExistsError:
        return
    # Not what the umask leaves: 0o777 would let anyone plant pages, 0o700 would hide them from nginx.
    directory.chmod(0o755)


def _unlink(target: Path) -> None:
    target.unlink(missing_ok=True)


def _remove(relatives) -> None:
    """Delete files: the page first, so nginx stops finding it, then its compressed twin."""
    root = directory()
    if root is None:
        return
    for relative in relatives:
        if isinstance(relative, bytes):
            relative = relative.decode()
        if relative_file("/" + relative.removesuffix(PAGE)) != relative:
            continue  # not a name we write
        _unlink(root / relative)
        _unlink(root / (relative + ".gz"))


# --- Removing --------------------------------------------------------------------------------------------


def unpublish(paths) -> None:
    """Delete every file rendered under the tokens of `paths` (call after replacing those tokens)."""
    if directory() is None:
        return
    try:
        redis = _redis()
        pipe = redis.pipeline(transaction=True)
        keys = [_key("by", path) for path in paths]
        for key in keys:
            pipe.smembers(key)
        pipe.delete(*keys)
        listed = pipe.execute()[:-1]
        _remove({member for members in listed for member in members})
    except Exception:
        logger.exception("Could not delete published files for %d page(s).", len(paths))


def sweep(now: float | None = None) -> int:
    """Delete the files whose deadline has passed; returns how many were due."""
    if directory() is None:
        return 0
    now = time.time() if now is None else now
    redis = _redis()
    pipe = redis.pipeline(transaction=True)
    pipe.zrangebyscore(_key("deadlines"), "-inf", now)
    pipe.zremrangebyscore(_key("deadlines"), "-inf", now)
    due = pipe.execute()[0]
    _remove(due)
    return len(due)


def clear() -> int:
    """Delete every published file and forget the lists (after a restore, or a new release)."""
    root = directory()
    if root is None:
        return 0
    redis = _redis()
    names = list(redis.scan_iter(match=_key("by", "*"), count=1000))
    pipe = redis.pipeline(transaction=True)
    if names:
        pipe.delete(*names)
    pipe.delete(_key("deadlines"))
    pipe.execute()
    removed = 0
    if root.is_dir():
        for page in root.rglob(PAGE):
            _remove([page.relative_to(root).as_posix()])
            removed += 1
    return removed


_started: list[int] = []


def start() -> None:
    """At an app process's start: adopt this release (deleting an older one's files) and keep sweeping.

    gunicorn's worker start calls it (deploy/gunicorn.conf.py); `publish` does on its first call."""
    if directory() is None:
        return
    _started[:] = [os.getpid()]
    try:
        redis = _redis()
        if redis.get(_key("release")) != release().encode():
            _adopt(redis)
    except Exception:
        logger.exception("Page files: could not check the release; files will not be written.")
    _Sweeper.ensure_running()


def _may_write(redis) -> bool:
    current = redis.get(_key("release"))
    if current is None:  # Redis lost the lists (restarted, flushed): the files on disk are orphans
        _adopt(redis)
        return True
    return current == release().encode()  # else another release serves: never old markup over new


def _adopt(redis) -> None:
    """Delete every file, then name this release the writer. Run when a release starts, and whenever Redis
    has forgotten the lists (their files could no longer be deleted on a change)."""
    clear()
    redis.set(_key("release"), release())


def tick() -> None:
    """What each app process does every few seconds: adopt orphaned files (Redis lost its lists), delete due
    ones. Orphans cannot wait for a request: nginx answers pages that are files without the app."""
    if directory() is None:
        return
    redis = _redis()
    if redis.get(_key("release")) is None:
        _adopt(redis)
    sweep()


class _Sweeper:
    _thread: threading.Thread | None = None
    _pid: int | None = None
    _lock = threading.Lock()

    @classmethod
    def ensure_running(cls) -> None:
        with cls._lock:
            if cls._thread is not None and cls._pid == os.getpid() and cls._thread.is_alive():
                return
            cls._thread = threading.Thread(target=cls._run, name="byline-page-files", daemon=True)
            cls._pid = os.getpid()
            cls._thread.start()

    @staticmethod
    def _run() -> None:
        while True:
            time.sleep(_SWEEP_SECONDS)
            try:
                tick()
            except Exception:
                logger.exception("Page files: sweeping due files failed; trying again shortly.")


# --- nginx ----------------------------------------------------------------------------------------------


def page_headers() -> list[tuple[str, str]]:
    """The headers nginx must send with a page file: those the app's middleware puts on every anonymous
    page (security policy, privacy switches, HSTS on https) and the page cache's Cache-Control and Vary.
    `byline page_files headers` prints them for deploy/nginx/byline.conf; a test holds them equal to a
    cached page's."""
    from django.middleware.clickjacking import XFrameOptionsMiddleware
    from django.middleware.security import SecurityMiddleware
    from django.test import RequestFactory

    from byline.core.middleware import SecurityHeadersMiddleware

    site = urlsplit(byline_setting("BYLINE_SITE_URL"))
    request = RequestFactory().get("/", secure=site.scheme == "https", HTTP_HOST=site.netloc)
    response = HttpResponse(content_type="text/html; charset=utf-8")
    response = XFrameOptionsMiddleware(lambda r: response).process_response(request, response)
    response = SecurityHeadersMiddleware(lambda r: response)(request)
    response = SecurityMiddleware(lambda r: response).process_response(request, response)
    parts = [
        "public",
        f"max-age={int(byline_setting('BYLINE_CACHE_MAX_AGE'))}",
        f"s-maxage={int(byline_setting('BYLINE_CACHE_S_MAXAGE'))}",
    ]
    if int(byline_setting("BYLINE_CACHE_STALE_WHILE_REVALIDATE")):
        parts.append(f"stale-while-revalidate={int(byline_setting('BYLINE_CACHE_STALE_WHILE_REVALIDATE'))}")
    headers = [(name, value) for name, value in response.items() if name.lower() != "content-type"]
    return [*headers, ("Cache-Control", ", ".join(parts)), ("Vary", "Cookie, Accept-Encoding")]


def nginx_headers() -> str:
    lines = ["# Written by `byline page_files headers`: what the app sends with every anonymous page."]
    for name, value in page_headers():
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'add_header {name} "{escaped}" always;')
    lines.append('add_header X-Cache-Status "FILE" always;')
    return "\n".join(lines) + "\n"


@checks.register("byline")
def page_files_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    root = directory()
    if root is None:
        return []
    if not callable(getattr(getattr(cache, "_cache", None), "get_client", None)):
        return [
            checks.Error(
                "BYLINE_PAGE_FILES_DIR is set but the cache is not Redis.",
                hint="Set REDIS_URL: every app server must see which files each change deletes.",
                id="byline.web.E001",
            )
        ]
    if not root.is_absolute():
        return [
            checks.Error(
                f"BYLINE_PAGE_FILES_DIR={str(root)!r} is not an absolute path.",
                hint="Use the directory deploy/nginx/byline.conf names as the page files' root.",
                id="byline.web.E002",
            )
        ]
    return []
