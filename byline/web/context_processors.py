import functools

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject

from byline.core.conf import byline_setting
from byline.core.urls import cached_reverse

# Addresses every page links to (header, footer, account bar). They cannot change while a process runs, so
# each is reversed once per process, not on every page view (reverse() costs tens of microseconds each).
SITE_LINKS = {
    "rss": "feeds:site_rss",
    "atom": "feeds:site_atom",
    "json_feed": "feeds:site_json",
    "search": "newsroom:search",
    "support": "funding:support_newsroom",
    "corrections": "newsroom:corrections",
    "login": "accounts:login",
    "signup": "accounts:signup",
    "logout": "accounts:logout",
    "settings": "accounts:settings",
    "verify_resend": "accounts:verify_resend",
}
SITE_ASSETS = {
    "favicon": "img/favicon.svg",
    "css": "css/site.css",
    "js": "js/site.js",
    "accounts_css": "accounts/accounts.css",
}


@functools.cache
def site_links(script_prefix: str, urlconf: str | None) -> dict[str, str]:
    """`{{ site_links.search }}` and the like; keyed by what reverse() depends on, so tests that swap URL
    configurations or mount the site under a prefix still get the right addresses."""
    links = {name: reverse(view) for name, view in SITE_LINKS.items()}
    links.update({name: static(path) for name, path in SITE_ASSETS.items()})
    return links


def site(request: HttpRequest) -> dict:
    from byline.newsroom.selectors import navigation_sections

    return {
        "site_name": byline_setting("BYLINE_SITE_NAME"),
        "site_tagline": byline_setting("BYLINE_SITE_TAGLINE"),
        # Read only if the page shows them (an article page may bring its own: `fragments.ArticleParts.nav`).
        "nav_sections": SimpleLazyObject(navigation_sections),
        "site_links": site_links(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF),
        # Only a signed-in reader's page asks for it.
        "profile_link": SimpleLazyObject(lambda: cached_reverse("comments:profile", request.user.pk)),
    }
