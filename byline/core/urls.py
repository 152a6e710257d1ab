"""`reverse()`, remembered: the addresses every page view asks for again and again.

Django's reverse() costs tens of microseconds, and a page view asks for the same handful (the article's
own, its section's, the header's links, the reader's profile) on every request. Its answer depends only on
the name and arguments, the URL configuration and the script prefix, so those are the key.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def cached_reverse(viewname: str, *args, **kwargs) -> str:
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(get_script_prefix(), urlconf, viewname, args, tuple(sorted(kwargs.items())))


@functools.lru_cache(maxsize=8192)
def _reverse(script_prefix: str, urlconf, viewname: str, args: tuple, kwargs: tuple) -> str:
    return reverse(viewname, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)
