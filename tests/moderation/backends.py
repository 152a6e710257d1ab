"""Toxicity test doubles (they live in tests only)."""

import time

from byline.moderation.toxicity.base import ClassifierUnavailable, ToxicityBackend, ToxicityResult

SCORES: dict[str, float] = {}


class FixedScores(ToxicityBackend):
    """Scores texts from SCORES (0.0 for anything else)."""

    name = "fixed"

    def score(self, text):
        return ToxicityResult(score=SCORES.get(text, 0.0))


class Broken(ToxicityBackend):
    name = "broken"

    def score(self, text):
        raise ClassifierUnavailable("model file missing")


class Crashing(ToxicityBackend):
    name = "crashing"

    def score(self, text):
        raise RuntimeError("segfault in a dependency")


class Slow(ToxicityBackend):
    name = "slow"

    def score(self, text):
        time.sleep(0.5)
        return ToxicityResult(score=0.0)
