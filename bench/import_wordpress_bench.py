"""Benchmark: import a generated WordPress export of 1,000 posts and 100,000 comments.

    .venv/bin/python bench/import_wordpress_bench.py [--posts 1000] [--comments 100000] [--keep FILE]

Writes the export to a temporary file, migrates a fresh database (SQLite in a temporary folder unless
DATABASE_URL is set, in which case that database is used as is: point it at a scratch database), imports
it once and prints the wall time and the peak memory of the process (ru_maxrss), then imports it again to
show the repeat run writes nothing. Targets: import ≤ 60 s, peak memory ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_VOCABULARY = (
    "river council bridge budget ferry school library harbour market road winter vote mayor flood street "
    "park clinic rent bus night shift teachers nurses tax plan meeting neighbours question answer"
)
WORDS = _VOCABULARY.split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_export(path: Path, *, posts: int, comments: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    per_post = comments // posts
    comment_id = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
            "<channel><title>Bench Gazette</title><wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://bench.example.net</wp:base_site_url>\n"
        )
        for n in range(5):
            out.write(
                f"<wp:author><wp:author_login>writer{n}</wp:author_login>"
                f"<wp:author_email>writer{n}@bench.example.net</wp:author_email>"
                f"<wp:author_display_name>Writer {n}</wp:author_display_name></wp:author>\n"
            )
        for n in range(8):
            out.write(
                f"<wp:category><wp:category_nicename>desk-{n}</wp:category_nicename>"
                f"<wp:cat_name>Desk {n}</wp:cat_name></wp:category>\n"
            )
        for post in range(1, posts + 1):
            paragraphs = "\n\n".join(sentence(rng, 40) for _ in range(6))
            out.write(
                f"<item><title>{sentence(rng, 6)}</title>"
                f"<link>https://bench.example.net/2024/{post}/story-{post}/</link>"
                f"<dc:creator>writer{post % 5}</dc:creator>"
                f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[{sentence(rng, 12)}]]></excerpt:encoded>"
                f"<wp:post_id>{post}</wp:post_id><wp:post_date_gmt>2024-03-{1 + post % 28:02d} "
                f"10:{post % 60:02d}:00</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>story-{post}</wp:post_name><wp:status>publish</wp:status>"
                f"<wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="desk-{post % 8}">'
                f"<![CDATA[Desk {post % 8}]]></category>"
                f'<category domain="post_tag" nicename="tag-{post % 30}">'
                f"<![CDATA[Tag {post % 30}]]></category>\n"
            )
            first = comment_id + 1
            for k in range(per_post):
                comment_id += 1
                parent = rng.randrange(first, comment_id) if k and rng.random() < 0.4 else 0
                approved = "1" if rng.random() < 0.9 else rng.choice(["0", "spam", "trash"])
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author><![CDATA[Reader {comment_id % 5000}]]></wp:comment_author>"
                    f"<wp:comment_author_email>reader{comment_id % 5000}@example.org"
                    f"</wp:comment_author_email><wp:comment_author_IP>198.51.{comment_id % 250}."
                    f"{comment_id % 200}</wp:comment_author_IP><wp:comment_date_gmt>2024-04-{1 + k % 28:02d} "
                    f"{k % 24:02d}:{k % 60:02d}:{comment_id % 60:02d}"
                    f"</wp:comment_date_gmt><wp:comment_content><![CDATA[{sentence(rng, 30)}\n\n"
                    f"{sentence(rng, 20)}]]></wp:comment_content><wp:comment_approved>{approved}"
                    f"</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--keep", help="Also keep the generated export at this path.")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="byline-import-bench-"))
    os.environ.setdefault("BYLINE_VAR_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    export = Path(args.keep) if args.keep else workdir / "export.xml"
    started = time.perf_counter()
    write_export(export, posts=args.posts, comments=args.comments)
    print(f"generated {export.stat().st_size / 1e6:.1f} MB export in {time.perf_counter() - started:.1f} s")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from byline.comments.models import Comment
    from byline.imports.wordpress import WordPressImporter

    before = peak_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    report = WordPressImporter(path=export, show_progress=sys.stderr.isatty()).run()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        f"import: {report.created['article']:,} articles, {report.created['comment']:,} comments "
        f"in {elapsed:.1f} s wall, {cpu:.1f} s CPU ({report.created['comment'] / elapsed:,.0f} comments/s); "
        f"peak memory {peak_mb():.0f} MB (before import {before:.0f} MB)"
    )
    started = time.perf_counter()
    again = WordPressImporter(path=export, show_progress=False).run()
    print(
        f"repeat: {sum(again.created.values())} created, {sum(again.updated.values())} updated, "
        f"{again.unchanged['comment']:,} comments unchanged in {time.perf_counter() - started:.1f} s"
    )
    print(f"comments in database: {Comment.objects.count():,}")
    verdict = "OK" if elapsed <= 60 and peak_mb() <= 300 else "OVER TARGET"
    load = os.getloadavg()[0]
    print(f"machine load average during the run: {load:.1f} on {os.cpu_count()} cores")
    print(
        f"import_seconds={elapsed:.1f} cpu_seconds={cpu:.1f} peak_mb={peak_mb():.0f} "
        f"targets=60s/300MB {verdict}"
    )


if __name__ == "__main__":
    main()
