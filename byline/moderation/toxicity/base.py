"""The toxicity backend interface and its loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from byline.core.conf import byline_setting


class ClassifierUnavailable(Exception):
    """A backend could not score a text (model missing, crashed, too slow). The pipeline holds the comment."""


@dataclass(frozen=True)
class ToxicityResult:
    """`score` is in [0, 1]: the estimated chance that a moderator would not publish the text.
    `signals` names the parts that made it up (for the moderation queue)."""

    score: float
    signals: dict[str, float] = field(default_factory=dict)


class ToxicityBackend:
    """Subclass and implement `score(text)`. One instance serves the whole process: be thread-safe."""

    name = "base"

    def prepare(self) -> None:
        """Load models (once per process). Runs outside the time budget; may raise ClassifierUnavailable."""

    def score(self, text: str) -> ToxicityResult:
        raise NotImplementedError


@lru_cache(maxsize=8)
def _load(dotted: str) -> ToxicityBackend:
    try:
        backend_class = import_string(dotted)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"BYLINE_TOXICITY_BACKEND={dotted!r} cannot be imported ({exc}). The default is "
            "'byline.moderation.toxicity.combined.CombinedBackend'."
        ) from exc
    return backend_class()


def get_backend() -> ToxicityBackend:
    return _load(byline_setting("BYLINE_TOXICITY_BACKEND"))
