"""gunicorn settings for Byline. Every value can be overridden from the environment (systemd unit, make prod).

Sync workers: Byline's views are short, the cache answers most anonymous requests before the database is
touched, and nginx buffers slow clients, so one process per core (plus one) and a few threads suffice.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
if not os.environ.get("REDIS_URL") and workers > 1:
    # Without Redis the page cache lives in each process's memory, and an edit handled by one worker cannot
    # invalidate another worker's copy. By default run one process with threads, which keeps it exact; an
    # explicit WEB_CONCURRENCY is obeyed, with a warning.
    if "WEB_CONCURRENCY" in os.environ:
        print(f"gunicorn: {workers} workers without REDIS_URL: cached pages may lag edits (10 min at most).")
    else:
        print("gunicorn: no REDIS_URL, so one worker process with threads (the page cache is per process).")
        threads = max(threads, workers * 2)
        workers = 1
worker_class = "gthread" if threads > 1 else "sync"
# nginx keeps connections to us open; a short keep-alive is enough behind it.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
# Recycle workers now and then so a slow leak cannot grow unbounded; jitter staggers the restarts.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "2000"))
# Only the nginx in front may set X-Forwarded-*.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
proc_name = "byline"
# Import the application once in the master: faster worker start, shared memory pages.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"


def post_worker_init(worker) -> None:
    """Load the toxicity classifier before the first comment arrives, not during it; with page files on,
    adopt this release's files and start deleting due ones (byline/web/published.py)."""
    from byline.moderation.pipeline import warm_up
    from byline.web import published

    warm_up()
    published.start()
