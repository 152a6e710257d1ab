"""Published pages: anonymous readers' pages written as files that nginx serves without asking the app.

A proxy-cache hit costs nginx about twice the CPU of sending a static file (it looks the entry up, reads
and parses the stored response's headers). With `BYLINE_PAGE_FILES_DIR` set, each page the page cache
stores (`caching.py`) is also written there as `<path>/index.html` and `index.html.gz`, and
deploy/nginx/byline.conf sends it to readers without a session, query string or credentials exactly as it
sends a static file. Only for app servers that share a disk with nginx (the same host, or a shared
directory); otherwise leave it unset and nginx's proxy cache does the job.

Exact, through the same version tokens as every other layer (nginx keeps files open and checks them once
a second, so a deleted page stops being sent within a second):
- Every file is listed in Redis under each page path whose token it was rendered under. An invalidation
  (after commit) replaces those tokens and takes their lists in one transaction, then deletes each
  path's own file and the listed ones.
- A writer lists its file, moves it into place, then reads the tokens again and deletes the file if one
  changed. Whichever of the two runs second removes it: an old page never outlives a change.
- Time: each file has a deadline, the page cache's timeout or, when sooner, the next scheduled publication
  less the time browsers and CDNs may keep the page (`margin()`). A thread in every app process
  (`start()`, from gunicorn's worker start) deletes due files every few seconds; `byline page_files sweep`
  does the same from cron. From then on the app answers, with Cache-Control bounded by the schedule.
- A new release (templates, static files or headers changed) deletes every file when its first worker
  starts, and an older release's workers stop writing. If Redis loses the lists (a restart, a flush) or
  cannot be reached, every file is deleted within seconds (`tick()`); a page file older than the page
  cache's timeout is deleted whatever the lists say.
- All app servers must set the same directory, the one nginx reads: a change handled by an app server
  without it would delete nothing.
- Redis must not evict the lists: `maxmemory-policy` noeviction or a volatile-* policy (the lists and
  tokens have no expiry; cached pages do).
"""

import hashlib
import logging
import os
import secrets
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from byline.core.cache import redis_client
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
    client = redis_client()
    if client is None:
        raise PageFilesUnavailable("BYLINE_PAGE_FILES_DIR needs the Redis cache (REDIS_URL).")
    return client


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
    """How long before a scheduled publication files must be gone: what a browser or CDN may keep, plus
    the sweeper's interval and the second nginx may keep a deleted file open."""
    keep = max(
        int(byline_setting("BYLINE_CACHE_MAX_AGE")),
        int(byline_setting("BYLINE_CACHE_S_MAXAGE"))
        + int(byline_setting("BYLINE_CACHE_STALE_WHILE_REVALIDATE")),
    )
    return keep + int(_SWEEP_SECONDS) + 1


def _for_this_site(request: HttpRequest) -> bool:
    """Files have no host or scheme in their name: write only what readers of the public address get."""
    site = urlsplit(byline_setting("BYLINE_SITE_URL"))
    host, _ = split_domain_port(request.get_host())
    return request.scheme == site.scheme and host == (site.hostname or "")


# --- Releases and epochs ----------------------------------------------------------------------------------


_release: list[str] = []


def release() -> str:
    """A digest of what a page file is made of in this process: the templates, the static files' names and
    the headers nginx is told to send (computed once per process)."""
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
        digest.update(nginx_headers().encode())
        _release.append(digest.hexdigest())
    return _release[0]


def _epoch(redis) -> str | None:
    """`<release>/<random>`: which release writes files, renewed every time all files are deleted."""
    value = redis.get(_key("epoch"))
    return value.decode() if value is not None else None


def _adopt(redis) -> None:
    """Name a new epoch of this release, then delete every file. A writer checks the epoch again after
    writing, so a file written meanwhile is deleted by it or by the walk here, whichever runs second."""
    redis.set(_key("epoch"), f"{release()}/{secrets.token_hex(8)}")
    clear()


# --- Writing ---------------------------------------------------------------------------------------------


_last_failure_logged: list[float] = [-3600.0]


def publish(request: HttpRequest, entry: dict) -> bool:
    """Write the page cache's `entry` (just stored or served) as this address's file; True if written.

    Never raises: a page that cannot be published is still served by the app.
    """
    root = directory()
    if root is None or request.META.get("QUERY_STRING") or not _for_this_site(request):
        return False
    relative = relative_file(request.path)
    if relative is None:
        return False
    if _started != [os.getpid()]:
        start()
    from byline.web.caching import _versions, next_scheduled_publication

    try:
        now = time.time()
        deadline = min(entry["expires"], now + int(byline_setting("BYLINE_PAGE_CACHE_TIMEOUT")))
        upcoming = next_scheduled_publication()
        if upcoming is not None:
            deadline = min(deadline, upcoming - margin())
        if deadline <= now + 1:
            return False
        redis = _redis()
        epoch = _epoch(redis)
        if epoch is None:  # Redis lost the lists (a restart, a flush): the files on disk are orphans
            _adopt(redis)
            epoch = _epoch(redis)
        if epoch is None or epoch.split("/")[0] != release():
            return False  # another release writes: never old markup over new
        pipe = redis.pipeline(transaction=False)
        for path in entry["dependencies"]:
            pipe.sadd(_key("by", path), relative)
        pipe.zadd(_key("deadlines"), {relative: deadline})
        pipe.execute()
        target = root / relative
        if entry.get("gzip"):
            _write(target.with_name(PAGE + ".gz"), entry["gzip"])
        else:  # too small to compress: nginx must not find an older page's .gz
            target.with_name(PAGE + ".gz").unlink(missing_ok=True)
        _write(target, entry["body"])
        if _versions(entry["dependencies"]) != entry["versions"] or _epoch(redis) != epoch:
            _remove([relative])  # a change (or a clearing) landed while we wrote: it may have missed this
            return False
    except Exception:
        # Once a minute at most: an unwritable directory would otherwise log on every page rendered.
        if time.monotonic() - _last_failure_logged[0] > 60:
            _last_failure_logged[0] = time.monotonic()
            logger.exception(
                "Could not publish %s as a file (further failures for a minute unlogged).", request.path
            )
        return False
    return True


def is_published(request: HttpRequest) -> bool:
    """Whether this address's page file exists (False where page files are off or unreadable)."""
    root, relative = directory(), relative_file(request.path)
    try:
        return root is not None and relative is not None and (root / relative).is_file()
    except OSError:
        return False


def _write(target: Path, content: bytes) -> None:
    """Write `content` next to `target`, then move it into place: readers see the old file or the new one,
    never half of one; a full disk raises before anything moves."""
    _make_directories(target.parent)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    try:
        os.fchmod(descriptor, 0o644)  # whatever the umask: nginx's workers read it, only we write
        with open(descriptor, "wb") as stream:
            stream.write(content)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _make_directories(directory: Path) -> None:
    if directory.is_dir():
        return
    _make_directories(directory.parent)
    try:
        directory.mkdir(mode=0o755)
    except FileExistsError:
        return
    # Not what the umask leaves: 0o777 would let anyone plant pages, 0o700 would hide them from nginx.
    directory.chmod(0o755)


def _remove(relatives) -> int:
    """Delete pages by their names under the directory: the page first, so nginx stops finding it, then its
    compressed twin. Returns how many pages were there."""
    root = directory()
    if root is None:
        return 0
    removed = 0
    for relative in relatives:
        if isinstance(relative, bytes):
            relative = relative.decode()
        if relative_file("/" + relative.removesuffix(PAGE)) != relative:
            continue  # not a name we write
        page = root / relative
        removed += page.is_file()
        page.unlink(missing_ok=True)
        page.with_name(PAGE + ".gz").unlink(missing_ok=True)
    return removed


# --- Removing --------------------------------------------------------------------------------------------


def invalidate(paths, tokens: dict[str, str]) -> bool:
    """Store the new version `tokens` of `paths`, then delete every file rendered under the old ones: one
    round trip to Redis for both (a comment posted invalidates twice). False, doing nothing, where page
    files are off: the caller stores the tokens itself.

    Each path's own page is deleted even when Redis fails (the error is raised after)."""
    if directory() is None:
        return False
    paths = list(paths)
    try:
        redis = _redis()
        serializer = cache._cache._serializer
        pipe = redis.pipeline(transaction=True)
        pipe.mset(
            {cache.make_and_validate_key(key): serializer.dumps(value) for key, value in tokens.items()}
        )
        lists = [_key("by", path) for path in paths]
        for key in lists:
            pipe.smembers(key)
        pipe.delete(*lists)
        listed = pipe.execute()[1:-1]
    finally:
        _remove(relative for path in paths if (relative := relative_file(path)))
    _remove({member for members in listed for member in members})
    return True


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
    """Delete every page file and forget the lists; returns how many pages there were."""
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
    return _clear_disk(root)


def _clear_disk(root: Path, *, older_than: float | None = None) -> int:
    """Delete the pages on disk (only those last written before `older_than`, if given) and temporary files
    a writer left behind; needs no Redis. Returns how many pages went."""
    if not root.is_dir():
        return 0
    removed = 0
    for found in root.rglob("*"):
        try:
            if found.name.endswith(".tmp") and found.stat().st_mtime < time.time() - 60:
                found.unlink(missing_ok=True)
            elif found.name == PAGE and (older_than is None or found.stat().st_mtime < older_than):
                removed += _remove([found.relative_to(root).as_posix()])
        except OSError:
            continue
    return removed


_started: list[int] = []
_must_take_over: list[bool] = [False]


def start() -> None:
    """At an app process's start: adopt this release (deleting an older one's files) and keep sweeping.

    gunicorn's worker start calls it (deploy/gunicorn.conf.py); `publish` does on its first call. If Redis
    cannot be reached now, the sweeper tries again."""
    if directory() is None:
        return
    _started[:] = [os.getpid()]
    _must_take_over[0] = True
    try:
        _take_over(_redis())
    except Exception:
        logger.exception("Page files: could not reach Redis; trying again in a few seconds.")
    _Sweeper.ensure_running()


def _take_over(redis) -> None:
    _warn_if_redis_evicts(redis)
    epoch = _epoch(redis)
    if epoch is None or epoch.split("/")[0] != release():
        _adopt(redis)
    _must_take_over[0] = False


def _warn_if_redis_evicts(redis) -> None:
    try:
        policy = redis.config_get("maxmemory-policy").get("maxmemory-policy", "")
    except Exception:  # managed Redis services often refuse CONFIG
        return
    if policy.startswith("allkeys"):
        logger.warning(
            "Page files: Redis may evict any key (maxmemory-policy %s), the lists of files included; "
            "a file nobody can find to delete then lives until the page cache's timeout. "
            "Use noeviction or a volatile-* policy.",
            policy,
        )


_last_disk_pass: list[float] = [0.0]


def tick() -> None:
    """What each app process does every few seconds. Orphans cannot wait for a request: nginx sends page
    files without asking the app.
    - Redis unreachable: no change could delete a file, so every file goes (the app still serves pages).
    - Redis lost the lists (restarted, flushed), or this process's release has not taken over yet: adopt.
    - Files past their deadline go; once a minute, so does any page file older than the page cache's
      timeout, listed or not (a Redis restored from an older snapshot has the wrong lists)."""
    root = directory()
    if root is None:
        return
    try:
        redis = _redis()
        if _must_take_over[0]:
            _take_over(redis)
        elif _epoch(redis) is None:
            _adopt(redis)
        sweep()
    except PageFilesUnavailable:
        raise
    except Exception:
        logger.exception("Page files: Redis unreachable; deleting every page file until it is back.")
        _clear_disk(root)
        return
    if time.monotonic() - _last_disk_pass[0] > 60:
        _last_disk_pass[0] = time.monotonic()
        timeout = int(byline_setting("BYLINE_PAGE_CACHE_TIMEOUT"))
        _clear_disk(root, older_than=time.time() - timeout - 1)


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
    from byline.web.caching import cache_control

    # What the app sends with a page not bounded by a scheduled publication (files never are: see margin()).
    unbounded = {"expires": time.time() + 365 * 86400, "bounded_by_schedule": False}
    headers = [(name, value) for name, value in response.items() if name.lower() != "content-type"]
    return [*headers, ("Cache-Control", cache_control(unbounded)), ("Vary", "Cookie, Accept-Encoding")]


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
    if redis_client() is None:
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
