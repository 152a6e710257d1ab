from django.http import HttpRequest

from byline.core.conf import byline_setting


def site(request: HttpRequest) -> dict:
    from byline.newsroom.selectors import navigation_sections

    return {
        "site_name": byline_setting("BYLINE_SITE_NAME"),
        "site_tagline": byline_setting("BYLINE_SITE_TAGLINE"),
        "nav_sections": navigation_sections(),
    }
