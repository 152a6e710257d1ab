"""Toxicity classifiers behind one small interface, chosen by the BYLINE_TOXICITY_BACKEND dotted path.

Every backend runs on this server: no reader's words leave it. See `base.ToxicityBackend`.
"""

from byline.moderation.toxicity.base import (
    ClassifierUnavailable,
    ToxicityBackend,
    ToxicityResult,
    get_backend,
)

__all__ = ["ClassifierUnavailable", "ToxicityBackend", "ToxicityResult", "get_backend"]
