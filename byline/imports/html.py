"""Turning WordPress's stored HTML into what Byline stores.

WordPress keeps post and comment text without paragraph tags: blank lines mean paragraphs and single line
breaks mean <br>, and the `autop` filter adds the tags when a page is shown. We add them once, at import,
then sanitise with the same allow-lists as any body or comment (byline.core.text).

An article body is stored as `body_source` and rendered by `Article.save` as Markdown with raw HTML
allowed. We hand it HTML in which every top-level block starts with a block tag, on its own line, with no
blank line inside a block: CommonMark then passes each block through untouched (an "HTML block"), so
asterisks, underscores or indentation in old posts are not mistaken for Markdown.
"""

from __future__ import annotations

import re

import nh3

from byline.core.text import COMMENT_TAGS, URL_SCHEMES, sanitize_html, strip_control_chars

# Tags that CommonMark recognises as starting an HTML block (its types 1 and 6) and that autop must not
# wrap in a paragraph.
BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|center|col|colgroup|dd|details|div|dl|dt|fieldset|figcaption|"
    "figure|footer|form|h1|h2|h3|h4|h5|h6|header|hr|iframe|legend|li|main|menu|nav|ol|p|pre|section|"
    "summary|table|tbody|td|tfoot|th|thead|tr|ul|script|style|textarea"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{BLOCK_TAGS})\b[^>]*>)", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.IGNORECASE)
# Blocks that hold other blocks: the text just inside them is a paragraph of its own.
_CONTAINERS = "blockquote|div|section|article|aside|header|footer|main|nav|details|figure|ul|ol|dl|table"
_CONTAINER_OPEN = re.compile(rf"(<(?:{_CONTAINERS})\b[^>]*>)", re.IGNORECASE)
_CONTAINER_CLOSE = re.compile(rf"(</(?:{_CONTAINERS})>)", re.IGNORECASE)
_STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{BLOCK_TAGS})\b", re.IGNORECASE)
_PRE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
_MANY_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n){2,}")
_SHORTCODE = re.compile(r"\[/?(?:caption|embed|gallery|audio|video|playlist)\b[^\]]*\]", re.IGNORECASE)


def autop(text: str) -> str:
    """Add paragraph and line-break tags to WordPress-style text, leaving existing block markup alone.

    Text between blocks becomes `<p>…</p>`; a single line break inside it becomes `<br>`. `<pre>` keeps its
    line breaks. The result has one block per chunk, chunks separated by a blank line.
    """
    text = strip_control_chars((text or "").replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        return ""
    if "<" not in text:
        # Plain text, as most comments are: paragraphs and line breaks only (escaping is the sanitiser's).
        return "\n\n".join(
            "<p>" + "<br>\n".join(line.strip() for line in chunk.strip().split("\n")) + "</p>"
            for chunk in _BLANK_LINES.split(text)
            if chunk.strip()
        )
    preformatted: list[str] = []

    def keep_pre(match: re.Match) -> str:
        preformatted.append(match.group(0))
        return f"\n\n\x00PRE{len(preformatted) - 1}\x00\n\n"

    text = _PRE.sub(keep_pre, text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = _CONTAINER_CLOSE.sub(r"\n\n\1", text)
    text = _CONTAINER_OPEN.sub(r"\1\n\n", text)
    blocks = []
    for chunk in _BLANK_LINES.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("\x00PRE"):
            blocks.append(preformatted[int(chunk[4:-1])])
        elif _STARTS_WITH_BLOCK.match(chunk):
            blocks.append(chunk)
        else:
            lines = [line.strip() for line in chunk.split("\n")]
            blocks.append("<p>" + "<br>\n".join(lines) + "</p>")
    return "\n\n".join(blocks)


def article_body_source(content: str) -> str:
    """The `body_source` for an imported post: autop'd, sanitised, laid out so Markdown leaves it alone."""
    content = _SHORTCODE.sub("", content or "")
    # Each block of autop's output is one chunk with no blank line inside; sanitising keeps that layout
    # (a block whose tag it strips becomes a plain paragraph, which is harmless).
    return _MANY_BLANK_LINES.sub("\n\n", sanitize_html(autop(content))).strip()


def comment_html(content: str) -> str:
    """An imported comment's HTML: autop'd and sanitised with the allow-list of a newly posted comment."""
    html = nh3.clean(
        autop(content),
        tags=COMMENT_TAGS,
        attributes={"a": {"href"}},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )
    return _BLANK_LINES.sub("\n", html).strip()
