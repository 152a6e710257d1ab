"""Timestamps as readers see them: the site's time zone, with the UTC offset (`2025-05-09 12:46:57 -0400`)."""

from datetime import datetime

from django.utils import timezone

STAMP_FORMAT = "%Y-%m-%d %H:%M:%S %z"


def format_stamp(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime(STAMP_FORMAT)


def format_date(moment: datetime | None) -> str:
    """A reader-friendly date, e.g. `9 May 2025`, in the site's time zone."""
    if moment is None:
        return ""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return f"{local.day} {local:%B %Y}"
