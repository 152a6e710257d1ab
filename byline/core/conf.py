"""Byline's own settings: one source of truth, each with a default and a help line.

Read them at call time with `byline_setting("BYLINE_SITE_NAME")`. A value comes from Django settings if set
there (tests use `override_settings`), else from the environment, else the default below. Every entry here
must be documented in README.md (a test checks).
"""

import os
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import empty


@dataclass(frozen=True)
class Setting:
    default: Any
    help: str


SETTINGS: dict[str, Setting] = {
    "BYLINE_SITE_NAME": Setting(
        "The Byline Ledger", "The outlet's name, shown in the header, titles and feeds."
    ),
    "BYLINE_SITE_TAGLINE": Setting("Independent news, funded by readers", "A short line under the name."),
    "BYLINE_SITE_URL": Setting(
        "http://127.0.0.1:8000", "The public address of the site, used in emails, feeds and canonical links."
    ),
    "BYLINE_PAGE_SIZE": Setting(20, "Articles per page on section, tag and journalist pages."),
    "BYLINE_HOME_PER_SECTION": Setting(5, "How many latest articles the home page shows for each section."),
    "BYLINE_ADMIN_EMAIL": Setting("admin@localhost", "Email of the first admin account `make run` creates."),
    "BYLINE_COMMENT_POLICY": Setting(
        "byline.moderation.pipeline.moderate_comment",
        "Dotted path to the function that decides whether a new comment is approved, held or rejected.",
    ),
}


def byline_setting(name: str) -> Any:
    """The current value of a BYLINE_* setting; environment strings are converted to the default's type."""
    try:
        spec = SETTINGS[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"{name} is not a Byline setting; add it to byline/core/conf.py."
        ) from None
    value = _from_django(name)
    if value is not _ABSENT:
        return value
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return spec.default
    return _coerce(name, raw, spec.default)


_ABSENT = object()
# What Django's settings say of each name asked (a value, or _ABSENT), for the settings object in
# _django_lookups_of. Asking Django about a name it does not have raises and catches an AttributeError
# (~2 µs, and a comment POST asks 22 times). override_settings installs a new settings object and sends
# setting_changed: either empties this. The environment is read at every call.
_django_lookups: dict[str, Any] = {}
_django_lookups_of: list[Any] = [None]


def _from_django(name: str) -> Any:
    current = settings._wrapped
    if current is empty:  # not configured yet: let Django set itself up
        return getattr(settings, name, _ABSENT)
    if current is not _django_lookups_of[0]:
        _django_lookups.clear()
        _django_lookups_of[0] = current
    try:
        return _django_lookups[name]
    except KeyError:
        value = _django_lookups[name] = getattr(settings, name, _ABSENT)
        return value


@receiver(setting_changed, dispatch_uid="byline-core-conf-setting-changed")
def _forget_django_lookups(**kwargs) -> None:
    _django_lookups.clear()


def _coerce(name: str, raw: str, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, (list, tuple)):
            return [item.strip() for item in raw.split(",") if item.strip()]
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a valid {type(default).__name__}.") from None
    return raw


def register(name: str, default: Any, help: str) -> None:  # noqa: A002
    """Let an app declare its own BYLINE_* settings (call from its AppConfig.ready or module level)."""
    SETTINGS.setdefault(name, Setting(default, help))
