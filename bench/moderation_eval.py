"""Measure the default moderation pipeline on a labelled CSV of comments.

    .venv/bin/python bench/moderation_eval.py [FILE.csv] [--errors]

FILE.csv has columns `text,label` with label `civil` or `abusive` (default: our own evaluation set,
tests/moderation/eval_comments.csv). A comment counts as caught when the pipeline would not publish it
straight away: rejected, held, or sent back with the civility nudge. Prints precision, recall and the
false-positive rate (share of civil comments caught), first for each signal alone, then for the pipeline;
the last line is `recall=… fpr=… n=…`. Run it on your newsroom's past comments before trusting the defaults.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
DEFAULT_FILE = ROOT / "tests" / "moderation" / "eval_comments.csv"


def read(path: Path) -> list[tuple[str, bool]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    labelled = []
    for row in rows:
        label = row["label"].strip().lower()
        if label not in {"civil", "abusive"}:
            raise SystemExit(f"label must be civil or abusive, not {row['label']!r}")
        labelled.append((row["text"], label == "abusive"))
    return labelled


def figures(predicted: list[bool], actual: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and a for p, a in zip(predicted, actual, strict=True))
    fp = sum(p and not a for p, a in zip(predicted, actual, strict=True))
    positives = sum(actual)
    negatives = len(actual) - positives
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / positives if positives else 0.0
    fpr = fp / negatives if negatives else 0.0
    return precision, recall, fpr


def main() -> None:
    parser = argparse.ArgumentParser(description="Precision, recall and false-positive rate of the pipeline.")
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--errors", action="store_true", help="list the misclassified comments")
    args = parser.parse_args()

    import django

    django.setup()
    from byline.core.conf import byline_setting
    from byline.moderation.pipeline import moderate_text
    from byline.moderation.toxicity.linear import load_model
    from byline.moderation.toxicity.profanity_check import profanity_check_model
    from byline.moderation.wordlists import default_matcher

    rows = read(args.file)
    actual = [abusive for _, abusive in rows]
    hold_at = byline_setting("BYLINE_TOXICITY_HOLD_THRESHOLD")
    matcher = default_matcher()
    singles = {
        "alt-profanity-check alone (p >= 0.5)": [
            profanity_check_model().probability(t) >= 0.5 for t, _ in rows
        ],
        f"own model alone (p >= {hold_at})": [load_model().probability(t) >= hold_at for t, _ in rows],
        "word lists alone": [bool(matcher.find(t)) for t, _ in rows],
    }
    for name, predicted in singles.items():
        precision, recall, fpr = figures(predicted, actual)
        print(f"{name:42} precision={precision:.2f} recall={recall:.2f} fpr={fpr:.2f}")
    predicted = []
    for text, abusive in rows:
        verdict, nudged, screen = moderate_text(text)
        caught = verdict != "approve" or nudged
        predicted.append(caught)
        if args.errors and caught != abusive:
            kind = "missed" if abusive else "false positive"
            reasons = "; ".join(c.reason for c in screen.checks)
            print(f"  {kind}: {text!r} (toxicity {screen.toxicity}; {reasons})")
    precision, recall, fpr = figures(predicted, actual)
    print(f"{'default pipeline':42} precision={precision:.2f} recall={recall:.2f} fpr={fpr:.2f}")
    print(f"file={args.file.name} abusive={sum(actual)} civil={len(actual) - sum(actual)}")
    print(f"recall={recall:.2f} fpr={fpr:.2f} n={len(rows)}")


if __name__ == "__main__":
    main()
