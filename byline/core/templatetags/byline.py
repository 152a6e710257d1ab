from datetime import datetime

from django import template

from byline.core.timefmt import format_date, format_stamp
from byline.core.urls import cached_reverse

register = template.Library()


@register.filter
def stamp(moment: datetime | None) -> str:
    """`2025-05-09 12:46:57 -0400`: the site's time zone with its UTC offset."""
    return format_stamp(moment)


@register.filter
def nicedate(moment: datetime | None) -> str:
    return format_date(moment)


@register.filter
def isoformat(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


@register.simple_tag
def link(viewname: str, *args) -> str:
    """`{% url %}` for addresses a page asks for again and again (a comment's actions): remembered per
    process by name and arguments (`byline.core.urls.cached_reverse`)."""
    return cached_reverse(viewname, *args)
