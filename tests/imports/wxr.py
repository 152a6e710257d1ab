"""Small builders for WordPress and Disqus export files, so each test can say exactly what it feeds in."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

FIXTURES = Path(__file__).parent / "fixtures"

WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/{v}/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/{v}/">
<channel>
<title>Test paper</title>
<wp:wxr_version>{v}</wp:wxr_version>
<wp:base_site_url>https://old.example.net</wp:base_site_url>
<wp:author><wp:author_login>writer</wp:author_login><wp:author_email>writer@old.example.net</wp:author_email>
<wp:author_display_name><![CDATA[Wren Writer]]></wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>news</wp:category_nicename><wp:cat_name>News</wp:cat_name></wp:category>
"""
WXR_TAIL = "</channel>\n</rss>\n"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wxr_comment(
    comment_id: int,
    *,
    body: str = "A comment.",
    parent: int = 0,
    approved: str = "1",
    author: str = "Reader",
    email: str = "reader@example.org",
    ip: str = "203.0.113.9",
    date_gmt: str = "2025-01-02 03:04:05",
    comment_type: str = "comment",
) -> str:
    return f"""<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>
<wp:comment_author>{cdata(author)}</wp:comment_author><wp:comment_author_email>{escape(email)}</wp:comment_author_email>
<wp:comment_author_IP>{escape(ip)}</wp:comment_author_IP><wp:comment_date_gmt>{date_gmt}</wp:comment_date_gmt>
<wp:comment_content>{cdata(body)}</wp:comment_content><wp:comment_approved>{approved}</wp:comment_approved>
<wp:comment_type>{comment_type}</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>
"""


def wxr_item(
    post_id: int,
    *,
    title: str = "",
    content: str = "Body text.",
    status: str = "publish",
    post_type: str = "post",
    slug: str = "",
    date_gmt: str = "2025-01-01 12:00:00",
    comments: str = "",
    creator: str = "writer",
    category: str = "news",
    comment_status: str = "open",
) -> str:
    title = title or f"Post {post_id}"
    slug = slug or f"post-{post_id}"
    return f"""<item><title>{escape(title)}</title>
<link>https://old.example.net/{date_gmt[:4]}/{slug}/</link><dc:creator>{creator}</dc:creator>
<content:encoded>{cdata(content)}</content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date_gmt>{date_gmt}</wp:post_date_gmt>
<wp:comment_status>{comment_status}</wp:comment_status><wp:post_name>{slug}</wp:post_name>
<wp:status>{status}</wp:status><wp:post_type>{post_type}</wp:post_type>
<category domain="category" nicename="{category}"><![CDATA[{category.title()}]]></category>
{comments}</item>
"""


def wxr(*items: str, version: str = "1.2") -> str:
    return WXR_HEAD.format(v=version) + "".join(items) + WXR_TAIL


def write(tmp_path: Path, text: str | bytes, name: str = "export.xml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
