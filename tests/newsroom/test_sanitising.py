"""Hostile HTML in bodies and bios renders with nothing executable left; the text around it survives."""

import pytest

from byline.core.text import render_body, render_comment
from tests.factories import ArticleFactory, JournalistFactory
from tests.htmlcheck import executable_parts

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<p style="position:fixed">x</p>',
    '<svg onload="alert(1)"><circle/></svg>',
    "[click](javascript:alert(1))",
    '<object data="evil.swf"></object>',
    '<form action="/steal"><input name="x"></form>',
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_body_is_neutralised_and_surrounding_text_survives(payload):
    html = render_body(f"Before the payload. {payload} After the payload.")
    assert executable_parts(html) == []
    assert "Before the payload." in html
    assert "After the payload." in html


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_comment_markdown_is_neutralised(payload):
    html = render_comment(f"Hello {payload} there")
    assert executable_parts(html) == []
    assert "Hello" in html


@pytest.mark.django_db
def test_article_page_with_hostile_body_and_bio_has_no_executable_markup(client):
    journalist = JournalistFactory(
        bio_source='Reporter. <script>steal()</script><img src=x onerror="steal()">'
    )
    article = ArticleFactory(
        journalists=[journalist],
        body_source=(
            'Intro.\n\n<script>steal()</script><iframe src="//evil"></iframe>\n\n'
            "[x](javascript:steal())\n\nOutro."
        ),
    )
    response = client.get(article.get_absolute_url())
    body = response.content.decode().split('<div class="article-body">')[1].split("</article>")[0]
    assert executable_parts(body) == []
    assert "<script>steal" not in body
    page = response.content.decode()
    assert "Intro." in page and "Outro." in page and "Reporter." in page


def test_markdown_body_keeps_ordinary_formatting():
    html = render_body("## A heading\n\nSome *emphasis* and a [link](https://example.org).\n\n> quoted")
    assert "<h2>A heading</h2>" in html
    assert "<em>emphasis</em>" in html
    assert 'href="https://example.org"' in html
    assert "<blockquote>" in html


def test_comment_links_are_marked_nofollow_ugc():
    html = render_comment("see [this](https://example.org)")
    assert 'rel="nofollow ugc noopener"' in html


def test_comment_markdown_has_no_headings_or_images():
    html = render_comment("# Shouting\n\n![img](https://example.org/a.png)")
    assert "<h1>" not in html
    assert "<img" not in html
    assert "Shouting" in html


def test_deeply_nested_quotes_do_not_crash():
    html = render_comment(">" * 10_000 + " deep")
    assert "deep" in html


def test_nul_and_control_characters_are_removed():
    assert "\x00" not in render_body("a\x00b\x07c")
    assert "abc" in render_body("a\x00b\x07c")
