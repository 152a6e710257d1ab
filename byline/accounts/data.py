"""Data rights: other apps register what they hold about a reader, so export and erasure cover everything.

An exporter returns JSON-ready data for one user; an eraser removes or anonymises that app's personal data
before the account row is deleted (`keep_content` is the reader's choice to keep their comments under
"Former reader"). Register from your AppConfig.ready(), like Wagtail's hooks.
"""

from collections.abc import Callable
from typing import Any

EXPORTERS: dict[str, Callable[[Any], Any]] = {}
ERASERS: dict[str, Callable[..., None]] = {}


def register_exporter(name: str, exporter: Callable[[Any], Any]) -> None:
    EXPORTERS[name] = exporter


def register_eraser(name: str, eraser: Callable[..., None]) -> None:
    """`eraser(user=..., keep_content=...)` runs inside the account deletion's transaction."""
    ERASERS[name] = eraser
