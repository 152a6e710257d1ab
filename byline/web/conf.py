"""The web app's BYLINE_* settings: the anonymous page cache and the CDN/proxy purge hook.

Documented in deploy/README.md (the "Settings" table).
"""

from byline.core.conf import register

register(
    "BYLINE_PAGE_CACHE",
    True,
    "Serve anonymous readers' home, section, tag, journalist and article pages from Django's cache.",
)
register(
    "BYLINE_PAGE_CACHE_TIMEOUT",
    600,
    "Longest time (seconds) a page stays in Django's cache; edits invalidate it at once.",
)
register("BYLINE_CACHE_MAX_AGE", 30, "Cache-Control max-age (seconds) browsers may reuse an anonymous page.")
register(
    "BYLINE_CACHE_S_MAXAGE",
    60,
    "Cache-Control s-maxage (seconds) for nginx or a CDN: bounds what a purge cannot reach.",
)
register(
    "BYLINE_CACHE_STALE_WHILE_REVALIDATE",
    30,
    "Cache-Control stale-while-revalidate (seconds) a shared cache may serve a stale page while refreshing.",
)
register(
    "BYLINE_CACHE_PURGE_BACKEND",
    "byline.web.purge.DummyPurgeBackend",
    "Dotted path of the class told which pages changed (nginx: byline.web.purge.NginxRefreshPurgeBackend).",
)
register(
    "BYLINE_CACHE_PURGE_URLS",
    [],
    "For the HTTP backends: base addresses of the caches to purge, comma-separated.",
)
register("BYLINE_CACHE_PURGE_TIMEOUT", 5.0, "For the HTTP backends: seconds to wait for each cache.")
register(
    "BYLINE_CACHE_PURGE_ASYNC",
    True,
    "Purge from a background thread, gathering bursts; off, purges run in the request that caused them.",
)
register(
    "BYLINE_CACHE_PURGE_DELAY",
    0.5,
    "Seconds the background purger gathers paths before purging each of them once.",
)
register(
    "BYLINE_PAGE_CACHE_MEMORY_MB",
    32.0,
    "Per app-server process: memory (MB) for the most recently served cached pages (the WSGI fast path).",
)
register(
    "BYLINE_PAGE_FILES_DIR",
    "",
    "A directory nginx reads (same host or shared disk): anonymous pages are also written there as files "
    "nginx sends without asking the app. Needs REDIS_URL. Empty: off.",
)
