"""Absolute addresses for things outside the page: feeds, sitemaps, structured data, canonical links."""

from urllib.parse import urlsplit

from byline.core.conf import byline_setting


def site_url() -> str:
    return byline_setting("BYLINE_SITE_URL").rstrip("/")


def absolute_url(path: str) -> str:
    """`/news/x/` → `https://example.org/news/x/` (BYLINE_SITE_URL); absolute URLs pass unchanged."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{site_url()}/{path.lstrip('/')}"


def site_host() -> str:
    return urlsplit(site_url()).netloc
