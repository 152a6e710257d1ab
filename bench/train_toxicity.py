"""Train Byline's small toxicity model offline and write byline/moderation/data/toxicity_model.json.

    .venv/bin/python bench/train_toxicity.py [--davidson PATH] [--tuning PATH]

Training data: the Davidson et al. (2017) labelled tweets (hate speech and offensive language count as
toxic; read its README: tweets, not news comments, heavy in slang) plus our own written examples in
tests/moderation/tuning_comments.csv, weighted up because they look like the comments we moderate. The
evaluation set (tests/moderation/eval_comments.csv) is never read here, so its figures stay honest.

Only feature weights and idf values are written (no text of the training data); the product never shows
training text. Requires scikit-learn (installed with alt-profanity-check).
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from byline.moderation.toxicity.linear import MODEL_PATH, features  # noqa: E402

DAVIDSON = Path("/work/shared/data/davidson-2017/labeled_data.csv")
TUNING = ROOT / "tests" / "moderation" / "tuning_comments.csv"
OWN_WEIGHT = 50.0
MAX_FEATURES = 12000


def read_davidson(path: Path) -> tuple[list[str], list[int]]:
    texts, labels = [], []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            texts.append(html.unescape(row["tweet"]))
            labels.append(0 if row["class"] == "2" else 1)
    return texts, labels


def read_labelled(path: Path) -> tuple[list[str], list[int]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [1 if r["label"].strip() == "abusive" else 0 for r in rows]


def train(davidson: Path, tuning: Path, out: Path) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    d_texts, d_labels = read_davidson(davidson)
    t_texts, t_labels = read_labelled(tuning)
    texts = d_texts + t_texts
    labels = d_labels + t_labels
    weights = [1.0] * len(d_texts) + [OWN_WEIGHT] * len(t_texts)
    vectorizer = TfidfVectorizer(
        analyzer=features,
        binary=True,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        min_df=2,
        max_features=MAX_FEATURES,
    )
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)
    model.fit(matrix, labels, sample_weight=weights)
    vocabulary = vectorizer.vocabulary_
    coef = model.coef_[0]
    rows = [
        [term, round(float(vectorizer.idf_[i]), 5), round(float(coef[i]), 5)]
        for term, i in sorted(vocabulary.items())
        if abs(coef[i]) > 1e-4
    ]
    out.write_text(
        json.dumps(
            {
                "about": "Byline toxicity model: logistic regression over word and word-pair features "
                "(idf, weight). Trained by bench/train_toxicity.py.",
                "intercept": round(float(model.intercept_[0]), 5),
                "features": rows,
            },
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )
    print(f"wrote {out} ({len(rows)} features, {out.stat().st_size // 1024} KiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--davidson", type=Path, default=DAVIDSON)
    parser.add_argument("--tuning", type=Path, default=TUNING)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    train(args.davidson, args.tuning, args.out)


if __name__ == "__main__":
    main()
