"""Per-comment latency of the moderation pipeline's text checks (word lists + toxicity + links).

    .venv/bin/python bench/moderation_latency.py [FILE.csv] [--repeat N]

Scores every comment of FILE.csv (default: tests/moderation/eval_comments.csv) N times (default 5) after a
warm-up, one at a time as the server would, and prints p50/p99 latency per comment and comments per second.
The database checks (spam signals, author record) add a few indexed queries on top; see bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description="Latency of the moderation pipeline per comment.")
    parser.add_argument(
        "file", nargs="?", type=Path, default=ROOT / "tests" / "moderation" / "eval_comments.csv"
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from byline.moderation.pipeline import moderate_text

    with args.file.open(newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    for text in texts[:20]:
        moderate_text(text)  # warm-up: models load once per process
    timings = []
    started = time.perf_counter()
    for _ in range(args.repeat):
        for text in texts:
            t0 = time.perf_counter()
            moderate_text(text)
            timings.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"comments={len(timings)} p50={p50:.2f}ms p99={p99:.2f}ms max={timings[-1]:.2f}ms")
    print(f"throughput={len(timings) / elapsed:.0f} comments/s (one thread)")


if __name__ == "__main__":
    main()
