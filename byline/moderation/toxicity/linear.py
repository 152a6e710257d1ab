"""A linear text model scored in plain Python: fast (tens of microseconds) and easy to ship as JSON.

`features(text)` turns a comment into the same word and word-pair features the training script
(bench/train_toxicity.py) used; `LinearModel` holds, per feature, its idf and weight.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from byline.moderation.normalise import tokenise

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "toxicity_model.json"
_LONG_RUNS = re.compile(r"(.)\1{2,}")
_NOISE = re.compile(r"(?:https?://\S+|www\.\S+|@\w+|&\w+;|&#\d+;)")


def features(text: str) -> list[str]:
    """Unigrams and bigrams of folded, de-obfuscated words (letter runs capped at two)."""
    words = []
    for token in tokenise(_NOISE.sub(" ", text)):
        if token.virtual:
            continue
        word = _LONG_RUNS.sub(r"\1\1", token.forms[0])
        if word and word != "rt":
            words.append(word)
    grams = list(dict.fromkeys(words))
    grams.extend(dict.fromkeys(f"{a} {b}" for a, b in zip(words, words[1:], strict=False)))
    return grams


@dataclass
class LinearModel:
    weights: dict[str, tuple[float, float]]  # feature -> (idf, weight)
    intercept: float

    def probability(self, text: str) -> float:
        present = [self.weights[f] for f in features(text) if f in self.weights]
        if not present:
            return 1.0 / (1.0 + math.exp(-self.intercept))
        norm = math.sqrt(sum(idf * idf for idf, _ in present))
        z = self.intercept + sum(idf * weight for idf, weight in present) / norm
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def load_model(path: str = str(MODEL_PATH)) -> LinearModel:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return LinearModel(
        weights={term: (idf, weight) for term, idf, weight in data["features"]}, intercept=data["intercept"]
    )
