"""The default backend: our own small model, alt-profanity-check's model and the word lists, combined.

Each signal misses something the others see. alt-profanity-check knows profanity but not dehumanising
talk ("vermin", "freeloaders") and flags "Kill the bill!"; our model, trained on tweets and our own
news-style examples, knows more insults and threats but is noisy on short texts; the word lists are exact
but only for what they list. The score is the larger of the word-list signal and a weighted mean of the two
models, so "kill" in a bill's context is outvoted, and a listed word always counts.
"""

from __future__ import annotations

from byline.moderation import wordlists
from byline.moderation.toxicity.base import ClassifierUnavailable, ToxicityBackend, ToxicityResult
from byline.moderation.toxicity.linear import load_model
from byline.moderation.toxicity.profanity_check import profanity_check_model

OWN_WEIGHT = 0.75
WORD_SIGNAL = {wordlists.BANNED: 1.0, wordlists.SUSPECT: 0.9}


class LocalModelBackend(ToxicityBackend):
    """Our own model alone."""

    name = "local-model"

    def score(self, text: str) -> ToxicityResult:
        try:
            own = load_model().probability(text)
        except (OSError, ValueError, KeyError) as exc:
            raise ClassifierUnavailable(f"toxicity model unreadable: {exc}") from exc
        return ToxicityResult(score=own, signals={"model": own})


class ProfanityCheckBackend(ToxicityBackend):
    """alt-profanity-check alone (for comparison in bench/moderation_eval.py)."""

    name = "profanity-check"

    def score(self, text: str) -> ToxicityResult:
        value = profanity_check_model().probability(text)
        return ToxicityResult(score=value, signals={"profanity_check": value})


class CombinedBackend(ToxicityBackend):
    name = "combined"

    def prepare(self) -> None:
        try:
            load_model()
            profanity_check_model()
        except Exception as exc:  # noqa: BLE001
            raise ClassifierUnavailable(f"toxicity model could not load: {exc}") from exc

    def score(self, text: str) -> ToxicityResult:
        try:
            own = load_model().probability(text)
            profanity = profanity_check_model().probability(text)
        except Exception as exc:  # noqa: BLE001 - any model failure means "unavailable", never a lost comment
            raise ClassifierUnavailable(f"toxicity model failed: {exc}") from exc
        matches = wordlists.current_matcher().find(text)
        words = max((WORD_SIGNAL.get(m.list_name, 0.0) for m in matches if m.category != "spam"), default=0.0)
        mixed = OWN_WEIGHT * own + (1 - OWN_WEIGHT) * profanity
        return ToxicityResult(
            score=round(max(words, mixed), 4),
            signals={"model": round(own, 4), "profanity_check": round(profanity, 4), "word_lists": words},
        )
