"""Markdown rendering and HTML sanitising: every piece of user-written HTML passes through here.

Bodies and bios are Markdown (markdown-it-py); whatever HTML comes out is cleaned by nh3 with an allow-list,
so `<script>`, event handlers, `javascript:`/`data:` links, `<iframe>` and `<style>` never survive.
"""

import html as html_lib
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Quote markers beyond this depth are folded into the deepest level, so no text is lost to nesting limits.
MAX_QUOTE_DEPTH = 5
_DEEP_QUOTE = re.compile(rf"^[ \t]*(?:>[ \t]*){{{MAX_QUOTE_DEPTH + 1},}}", re.MULTILINE)

BODY_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "mark",
    "small",
    "a",
    "blockquote",
    "q",
    "cite",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "code",
    "pre",
    "figure",
    "figcaption",
    "img",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "abbr",
    "time",
}
BODY_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "abbr": {"title"},
    "time": {"datetime"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
COMMENT_TAGS = {"p", "br", "strong", "em", "a", "blockquote", "ul", "ol", "li", "code", "pre"}
URL_SCHEMES = {"http", "https", "mailto"}


def strip_control_chars(text: str) -> str:
    """Remove NUL and other control characters that have no place in text (tabs and newlines stay)."""
    return _CONTROL_CHARS.sub("", text)


@lru_cache(maxsize=1)
def _body_markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable("table")


@lru_cache(maxsize=1)
def _comment_markdown() -> MarkdownIt:
    # A subset: paragraphs, emphasis, links, quotes, lists, code. No raw HTML, no images, no headings.
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": 20})
    md.disable(["image", "heading", "lheading", "html_block", "html_inline", "table"], ignoreInvalid=True)
    return md


def render_body(source: str) -> str:
    """Render an article body or a bio: Markdown (raw HTML allowed, then sanitised)."""
    html = _body_markdown().render(strip_control_chars(source or ""))
    return sanitize_html(html)


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )


def render_comment(source: str) -> str:
    """Render a reader's comment: the Markdown subset, links marked nofollow/ugc."""
    source = _DEEP_QUOTE.sub("> " * MAX_QUOTE_DEPTH, strip_control_chars(source or ""))
    html = _comment_markdown().render(source)
    return nh3.clean(
        html,
        tags=COMMENT_TAGS,
        attributes={"a": {"href"}},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def plain_text(html: str) -> str:
    """Text content of sanitised HTML, for word counts, summaries and search."""
    return re.sub(r"\s+", " ", html_lib.unescape(nh3.clean(html, tags=set()))).strip()
