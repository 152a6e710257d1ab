"""Loads the demo newsroom from byline/web/demo/: site.toml (sections, journalists) and articles/*.md.

An article file starts with TOML between `+++` lines (headline, standfirst, section, journalists, tags,
hours_ago, status, hero…), followed by its Markdown body. Hero images are drawn here with Pillow, so no
binary files live in the repository. Other apps add their demo data through `DEMO_EXTENSIONS`.
"""

import io
import logging
import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from byline.journalists.models import Journalist, JournalistLink
from byline.newsroom.models import Article, Byline, Section, Tag

logger = logging.getLogger(__name__)

DEMO_DIR = Path(__file__).resolve().parent

# Callables run after the articles are in, inside the same transaction (e.g. comment threads).
DEMO_EXTENSIONS: list[str] = ["byline.comments.demo.load_demo_comments"]


def parse_article_file(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("+++\n"):
        raise ValueError(f"{path.name}: an article file must start with a +++ front-matter block")
    front, _, body = text[4:].partition("\n+++\n")
    return tomllib.loads(front), body.strip() + "\n"


def hero_image(name: str, width: int = 1200, height: int = 675) -> ContentFile:
    """A calm two-colour gradient, different for every name: a stand-in photo for demo articles."""
    from PIL import Image, ImageDraw

    seed = sum(ord(ch) * (i + 1) for i, ch in enumerate(name))
    top = ((seed * 37) % 200 + 30, (seed * 91) % 160 + 40, (seed * 53) % 180 + 50)
    bottom = tuple(max(0, c - 60) for c in top)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)], fill=tuple(int(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return ContentFile(buffer.getvalue(), name=f"{name}.jpg")


@transaction.atomic
def load_demo() -> str:
    site = tomllib.loads((DEMO_DIR / "site.toml").read_text(encoding="utf-8"))
    sections = {}
    for position, spec in enumerate(site["sections"]):
        sections[spec["slug"]], _ = Section.objects.update_or_create(
            slug=spec["slug"],
            defaults={"name": spec["name"], "description": spec.get("description", ""), "position": position},
        )
    journalists = {}
    for spec in site["journalists"]:
        journalist, _ = Journalist.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "role": spec.get("role", ""),
                "bio_source": spec.get("bio", ""),
                "email": spec.get("email", ""),
                "accepts_support": spec.get("accepts_support", True),
            },
        )
        for position, link in enumerate(spec.get("links", [])):
            JournalistLink.objects.get_or_create(
                journalist=journalist,
                url=link["url"],
                defaults={"label": link["label"], "position": position},
            )
        journalists[spec["slug"]] = journalist

    now = timezone.now()
    count = 0
    for path in sorted((DEMO_DIR / "articles").glob("*.md")):
        meta, body = parse_article_file(path)
        article = Article(
            section=sections[meta["section"]],
            slug=meta.get("slug") or slugify(meta["headline"])[:200],
            headline=meta["headline"],
            standfirst=meta.get("standfirst", ""),
            body_source=body,
            status=meta.get("status", Article.Status.PUBLISHED),
            published_at=now - timedelta(hours=meta.get("hours_ago", 24)),
            comments_open=meta.get("comments_open", True),
            hero_alt=meta.get("hero_alt", ""),
            hero_caption=meta.get("hero_caption", ""),
            hero_credit=meta.get("hero_credit", ""),
        )
        if meta.get("hero"):
            article.hero_image.save(f"{meta['hero']}.jpg", hero_image(meta["hero"]), save=False)
        article.save()
        for position, slug in enumerate(meta["journalists"]):
            Byline.objects.create(article=article, journalist=journalists[slug], position=position)
        for tag_name in meta.get("tags", []):
            tag, _ = Tag.objects.get_or_create(slug=slugify(tag_name), defaults={"name": tag_name})
            article.tags.add(tag)
        count += 1

    extras = [_run_extension(dotted) for dotted in DEMO_EXTENSIONS]
    parts = [f"{len(sections)} sections", f"{len(journalists)} journalists", f"{count} articles"]
    return ", ".join(parts + [e for e in extras if e])


def _run_extension(dotted: str) -> str:
    from importlib import import_module

    module_name, _, function_name = dotted.rpartition(".")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        logger.warning("Demo extension %s is not installed; skipped.", dotted)
        return ""
    extension: Callable[[], str] = getattr(module, function_name)
    return extension() or ""
