"""Lean pages: what a reader on a slow phone downloads for a long story with a busy comment thread."""

import gzip
import random
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from byline.comments.models import Comment
from tests.factories import ArticleFactory, JournalistFactory, UserFactory, jpeg

pytestmark = pytest.mark.django_db


def _vocabulary(size: int = 3000) -> list[str]:
    rng = random.Random(8)
    letters = "etaoinshrdlcumwfgypbvk"
    common = ["the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "on", "was", "with", "as"]
    return common + ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(size)]


WORDS = _vocabulary()
# Word frequencies fall off with rank, as in any language (Zipf): a few words are most of the text.
WEIGHTS = [1 / (rank + 1) ** 1.2 for rank in range(len(WORDS))]


def story_text(words: int, *, seed: int = 0) -> str:
    """Made-up words, drawn with natural (Zipf) frequencies: gzip squeezes this about as much as English
    prose (2.35:1 here, English about 2.5:1), where repeated text would flatter the page budget."""
    rng = random.Random(seed)
    out, paragraph = [], []
    for n in range(1, words + 1):
        paragraph.append(rng.choices(WORDS, WEIGHTS)[0])
        if n % 15 == 0:
            paragraph[-1] += "."
        if len(paragraph) == 90:
            out.append(" ".join(paragraph).capitalize())
            paragraph = []
    if paragraph:
        out.append(" ".join(paragraph).capitalize() + ".")
    return "\n\n".join(out)


FETCHED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stylesheets, self.scripts, self.images, self.urls = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if tag == "img":
            self.images.append(attrs)
        # What the browser fetches by itself (a canonical link or a feed link is not fetched).
        fetched = tag in {"script", "img", "iframe", "source", "video", "audio"} or (
            tag == "link"
            and attrs.get("rel") in {"stylesheet", "icon", "preload", "modulepreload", "manifest"}
        )
        for name in ("src", "href", "srcset"):
            if fetched and attrs.get(name):
                self.urls.append(attrs[name])


@pytest.fixture
def long_story():
    journalist = JournalistFactory(photo=jpeg(160, 160), photo_alt="Portrait")
    article = ArticleFactory(
        body_source=story_text(1500),
        hero_image=jpeg(1200, 675),
        hero_alt="The ferry at the dock",
        journalists=[journalist],
    )
    readers = [UserFactory() for _ in range(10)]
    for n in range(50):
        Comment.objects.create(
            article=article,
            author=readers[n % 10],
            body_source=f"Comment {n}: {story_text(40, seed=n + 1)}",
            body_html=f"<p>Comment {n}: {story_text(40, seed=n + 1)}</p>",
            status=Comment.Status.APPROVED,
        )
    article.comment_count = 50
    article.save()
    assert article.word_count >= 1500
    return article


def page(url: str) -> tuple[str, Assets]:
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assets = Assets()
    assets.feed(html)
    return html, assets


def static_size(url: str) -> int:
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"{url} is not a static file"
    with open(path, "rb") as handle:
        return len(handle.read())


def test_a_1500_word_story_with_50_comments_is_at_most_15_kb_gzipped(long_story):
    html, _ = page(long_story.get_absolute_url())
    assert html.count("Comment ") >= 50
    raw, zipped = len(html.encode()), len(gzip.compress(html.encode(), 6))
    assert zipped <= 15 * 1024, f"{zipped} bytes gzipped ({raw} raw)"


def test_the_article_page_loads_at_most_20_kb_of_css_and_10_kb_of_javascript(long_story):
    _, assets = page(long_story.get_absolute_url())
    assert assets.stylesheets and assets.scripts
    assert sum(static_size(url) for url in assets.stylesheets) <= 20 * 1024
    assert sum(static_size(url) for url in assets.scripts) <= 10 * 1024


def test_the_filler_text_compresses_no_better_than_english_prose():
    text = story_text(1500).encode()
    assert len(text) / len(gzip.compress(text, 6)) < 2.6  # English prose: about 2.5


def test_scripts_are_deferred_so_the_page_reads_before_they_run(long_story):
    html, _ = page(long_story.get_absolute_url())
    for tag in re.findall(r"<script\b[^>]*>", html):
        if "application/ld+json" in tag:
            continue
        assert "src=" in tag and (" defer" in tag or " async" in tag or 'type="module"' in tag), tag


@pytest.mark.parametrize("where", ["article", "home"])
def test_pages_make_no_third_party_requests(long_story, where):
    _, assets = page(long_story.get_absolute_url() if where == "article" else "/")
    for url in assets.urls:
        for candidate in url.split(","):
            candidate = candidate.strip().split(" ")[0]
            assert not re.match(r"^(https?:)?//", candidate), candidate
    for stylesheet in assets.stylesheets:
        with open(finders.find(stylesheet.removeprefix("/static/")), encoding="utf-8") as handle:
            css = handle.read()
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), stylesheet
        assert "@import" not in css, stylesheet


def test_images_say_their_size_and_all_but_the_first_load_lazily(long_story):
    _, assets = page(long_story.get_absolute_url())
    assert len(assets.images) >= 2
    for image in assets.images:
        assert image.get("width") and image.get("height"), image
        assert image.get("alt") is not None, image
    for image in assets.images[1:]:
        assert image.get("loading") == "lazy", image


def test_the_hero_image_offers_smaller_sizes_for_small_screens(long_story):
    _, assets = page(long_story.get_absolute_url())
    hero = assets.images[0]
    widths = [candidate.split()[-1] for candidate in hero["srcset"].split(",")]
    assert widths == ["480w", "800w", "1200w"]
    assert "100vw" in hero["sizes"]
    assert hero["width"] == "1200" and hero["height"] == "675"
