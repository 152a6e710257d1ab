"""alt-profanity-check's model, scored without scikit-learn's per-call overhead.

The package's own `predict_prob` costs about 10 ms a call, most of it input validation. Its model is a
TF-IDF vectoriser and five calibrated linear SVMs; we read their numbers once and score a text in plain
Python with the same arithmetic (tests compare the two).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@dataclass
class _Calibrated:
    weights: list[float]
    intercept: float
    a: float
    b: float


class ProfanityCheckModel:
    def __init__(self) -> None:
        from profanity_check import profanity_check as package  # loads the joblib files once

        vectorizer = package.vectorizer
        self.stop_words = frozenset(vectorizer.get_stop_words() or ())
        self.vocabulary: dict[str, int] = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
        self.idf: list[float] = [float(x) for x in vectorizer.idf_]
        self.parts: list[_Calibrated] = []
        for calibrated in package.model.calibrated_classifiers_:
            svm = calibrated.estimator
            calibrator = calibrated.calibrators[0]
            self.parts.append(
                _Calibrated(
                    weights=[float(x) for x in svm.coef_[0]],
                    intercept=float(svm.intercept_[0]),
                    a=float(calibrator.a_),
                    b=float(calibrator.b_),
                )
            )

    def probability(self, text: str) -> float:
        counts = Counter(
            self.vocabulary[t]
            for t in _TOKEN.findall(text.lower())
            if t not in self.stop_words and t in self.vocabulary
        )
        values = {index: count * self.idf[index] for index, count in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        total = 0.0
        for part in self.parts:
            decision = part.intercept + sum(part.weights[i] * v / norm for i, v in values.items())
            total += 1.0 / (1.0 + math.exp(part.a * decision + part.b))
        return total / len(self.parts)


@lru_cache(maxsize=1)
def profanity_check_model() -> ProfanityCheckModel:
    return ProfanityCheckModel()
