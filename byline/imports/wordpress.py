"""`byline import-wordpress`: a WordPress export (WXR 1.0–1.2) into journalists, sections, tags, articles,
redirects from the old addresses, and reader comments.

The file is read as a stream: each <item> (a post with its comments) is handled when it ends and then
freed, so memory stays flat however large the export is.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from byline.comments.models import Comment
from byline.imports.articles import AuthorRecord, NewsroomWriter, PostRecord
from byline.imports.base import Importer, parse_datetime_local, parse_datetime_utc, path_of
from byline.imports.commentwriter import CommentRecord, import_reason
from byline.imports.models import Source
from byline.imports.xmlstream import Event, ImportFailed, child_text, children, short_tag
from byline.newsroom.models import Article

SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}

POST_STATUS = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}
SKIPPED_TYPES = {
    "page": "pages are not imported",
    "attachment": "attachments are not imported (the files stay on the old site)",
    "nav_menu_item": "menu items are not imported",
    "revision": "revisions are not imported",
}


class WordPressImporter(Importer):
    source = Source.WORDPRESS

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.version = ""
        self.authors: dict[str, AuthorRecord] = {}
        self.journalist_ids: dict[str, int] = {}
        self.section_ids: dict[str, int] = {}
        self.tag_ids: dict[str, int] = {}
        self.seen_posts: set[str] = set()
        self.seen_comments: set[str] = set()
        self.item_comments: list[tuple[dict[str, str], int]] = []
        self._newsroom: NewsroomWriter | None = None

    @property
    def newsroom(self) -> NewsroomWriter:
        if self._newsroom is None:
            self._newsroom = NewsroomWriter(identities=self.identities, report=self.report)
        return self._newsroom

    def read(self) -> None:
        items = 0
        for event in self.stream.events(max_depth=4, starts_up_to=1):
            if event.kind == "start":
                if len(event.path) == 1:
                    self._check_root(event)
                continue
            depth = len(event.path)
            if depth == 3 and event.path[1] == "channel":
                self._channel_child(event)
                items += event.tag == "item"
                event.release()
                self.tick()
            elif depth == 4 and event.path[2] == "item" and event.tag == "wp:comment":
                # Keep the comment's fields, free its (possibly large) element right away.
                self.item_comments.append((_fields(event.element), event.line))
                event.release()
        if not self.version:
            raise self._not_an_export(f"no <wp:wxr_version> anywhere in its {items} item(s)")
        # Comments are written in batches across posts; the last batch (and any reply whose parent never
        # appeared) is written now.
        self.comments.finish()

    def _check_root(self, event: Event) -> None:
        if event.tag != "rss":
            hint = (
                " It looks like a Disqus export: use `byline import-disqus`." if event.tag == "disqus" else ""
            )
            raise ImportFailed(
                f"{self.stream.display_name} is not a WordPress export: it starts with <{event.tag}> "
                f"(line {event.line}), where an export (WXR) starts with <rss>.{hint} Nothing was imported.",
                code="not_an_export",
            )

    def _not_an_export(self, why: str) -> ImportFailed:
        return ImportFailed(
            f"{self.stream.display_name} is an RSS feed, not a WordPress export: {why}. In WordPress, use "
            "Tools → Export → All content to get the export file. Nothing was imported.",
            code="not_an_export",
        )

    def _channel_child(self, event: Event) -> None:
        element, tag = event.element, event.tag
        if tag == "wp:wxr_version":
            self.version = (element.text or "").strip()
            if self.version not in SUPPORTED_VERSIONS:
                raise ImportFailed(
                    f"{self.stream.display_name} is a WordPress export of version {self.version!r} (line "
                    f"{event.line}); Byline reads versions 1.0 to 1.2. Nothing was imported.",
                    code="unsupported_version",
                )
        elif (
            tag == "wp:base_site_url"
            and not self.report.site
            or tag == "wp:base_blog_url"
            and not self.report.site
        ):
            self.report.site = (element.text or "").strip().rstrip("/")
        elif tag == "wp:author":
            self._author(element)
        elif tag == "wp:category":
            key = child_text(element, "wp:category_nicename")
            self.section_ids[key] = self.newsroom.section(key=key, name=child_text(element, "wp:cat_name"))
        elif tag == "wp:tag":
            key = child_text(element, "wp:tag_slug")
            self.tag_ids[key] = self.newsroom.tag(key=key, name=child_text(element, "wp:tag_name"))
        elif tag == "item":
            if not self.version:
                raise self._not_an_export(
                    f"its first <item> (line {event.line}) comes with no <wp:wxr_version>"
                )
            self._item(element, event.line)

    def _author(self, element: ET.Element) -> None:
        author = AuthorRecord(
            login=child_text(element, "wp:author_login").strip(),
            email=child_text(element, "wp:author_email").strip(),
            display_name=child_text(element, "wp:author_display_name"),
            first_name=child_text(element, "wp:author_first_name"),
            last_name=child_text(element, "wp:author_last_name"),
        )
        if not author.login:
            self.report.skip("journalist", "author without a login")
            return
        self.authors[author.login] = author
        self.journalist_ids[author.login] = self.newsroom.journalist(author)

    # Items ---------------------------------------------------------------------------------------------

    def _item(self, element: ET.Element, line: int) -> None:
        comments, self.item_comments = self.item_comments, []
        post_type = child_text(element, "wp:post_type", "post").strip() or "post"
        post_id = child_text(element, "wp:post_id").strip()
        title = child_text(element, "title")
        where = f"{post_type} {post_id or '(no id)'} “{title[:60]}” (line {line})"
        wp_status = child_text(element, "wp:status").strip()
        reason = None
        if post_type != "post":
            reason = SKIPPED_TYPES.get(post_type, f"items of type “{post_type}” are not imported")
        elif not post_id:
            reason = "post without a <wp:post_id>"
        elif post_id in self.seen_posts:
            reason = f"duplicate post id {post_id}; the first one was kept"
        elif wp_status not in POST_STATUS:
            reason = (
                f"post status “{wp_status}” is not imported (only publish, future, draft, pending, private)"
            )
        if reason:
            kind = post_type if post_type in SKIPPED_TYPES else "post"
            self.report.skip(kind, reason, where)
            if comments:
                self.report.skip(
                    "comment", f"on a skipped {post_type}", f"{len(comments)} comment(s) on {where}"
                )
                self.report.skipped["comment"] += len(comments) - 1
            return
        self.seen_posts.add(post_id)
        post = self._post_record(element, post_id=post_id, wp_status=wp_status, where=where)
        article_id = self.newsroom.article(
            post,
            section_id=self._section_for(post, where),
            journalist_id=self._journalist_for(post.author_login, where),
            tag_ids=[self._tag_for(name, key) for key, name in _terms(element, "post_tag")]
            # A post has one section; its other categories become tags, so none is lost.
            + [self._tag_for(name, key) for key, name in _terms(element, "category")[1:]],
        )
        self.progress.count("posts")
        if article_id is None:
            self.report.skipped["comment"] += len(comments)
            return
        for comment_fields, comment_line in comments:
            self._comment(comment_fields, article_id=article_id, post_where=where, line=comment_line)

    def _post_record(self, element: ET.Element, *, post_id: str, wp_status: str, where: str) -> PostRecord:
        status = POST_STATUS[wp_status]
        published_at = parse_datetime_utc(child_text(element, "wp:post_date_gmt")) or parse_datetime_local(
            child_text(element, "wp:post_date")
        )
        if status != Article.Status.DRAFT and published_at is None:
            self.report.note("article", "published post without a valid date; imported as a draft", where)
            status = Article.Status.DRAFT
        if status == Article.Status.DRAFT:
            published_at = None
        categories = _terms(element, "category")
        old_paths = [path_of(child_text(element, "link")), f"/?p={post_id}"]
        guid = child_text(element, "guid")
        if guid and "?p=" in guid:
            old_paths.append(path_of(guid))
        return PostRecord(
            post_id=post_id,
            title=child_text(element, "title"),
            content=child_text(element, "content:encoded"),
            excerpt=child_text(element, "excerpt:encoded"),
            status=status,
            published_at=published_at,
            comments_open=child_text(element, "wp:comment_status", "open").strip() == "open",
            slug=child_text(element, "wp:post_name").strip(),
            author_login=child_text(element, "dc:creator").strip(),
            section_key=categories[0][0] if categories else "",
            tag_names=[name for _, name in categories[1:]]
            + [name for _, name in _terms(element, "post_tag")],
            old_paths=list(dict.fromkeys(p for p in old_paths if p and p != "/")),
            where=where,
        )

    def _section_for(self, post: PostRecord, where: str) -> int:
        key = post.section_key or "uncategorized"
        if key not in self.section_ids:
            declared = not post.section_key
            self.section_ids[key] = self.newsroom.section(
                key=key, name=key.replace("-", " ").title(), declared=declared
            )
        return self.section_ids[key]

    def _journalist_for(self, login: str, where: str) -> int:
        if login not in self.journalist_ids:
            self.journalist_ids[login] = self.newsroom.journalist(
                AuthorRecord(login=login or "unknown-author"), declared=False
            )
        return self.journalist_ids[login]

    def _tag_for(self, name: str, key: str) -> int:
        if key not in self.tag_ids:
            self.tag_ids[key] = self.newsroom.tag(key=key, name=name)
        return self.tag_ids[key]

    def _comment(self, fields: dict[str, str], *, article_id: int, post_where: str, line: int) -> None:
        comment_id = fields.get("wp:comment_id", "").strip()
        where = f"comment {comment_id or '(no id)'} on {post_where.split(' (line')[0]} (line {line})"
        comment_type = fields.get("wp:comment_type", "").strip()
        if not comment_id:
            self.report.skip("comment", "comment without a <wp:comment_id>", where)
            return
        if comment_id in self.seen_comments:
            self.report.skip("comment", f"duplicate comment id {comment_id}; the first one was kept", where)
            return
        self.seen_comments.add(comment_id)
        if comment_type in {"pingback", "trackback"}:
            self.report.skip("comment", f"{comment_type}s are not imported", where)
            return
        created_at = parse_datetime_utc(fields.get("wp:comment_date_gmt", "")) or parse_datetime_local(
            fields.get("wp:comment_date", "")
        )
        if created_at is None:
            self.report.skip("comment", "no valid date (0000-00-00 or missing)", where)
            return
        approval = fields.get("wp:comment_approved", "").strip()
        status, is_removed, reasons, rejection = _comment_state(approval)
        if status is None:
            self.report.skip("comment", f"unknown approval value “{approval}”", where)
            return
        parent = fields.get("wp:comment_parent", "").strip()
        self.comments.add(
            CommentRecord(
                external_id=comment_id,
                parent_external_id="" if parent in {"", "0"} else parent,
                article_id=article_id,
                author_name=fields.get("wp:comment_author", ""),
                author_email=fields.get("wp:comment_author_email", ""),
                ip_address=fields.get("wp:comment_author_IP", ""),
                created_at=created_at,
                body=fields.get("wp:comment_content", ""),
                status=status,
                is_removed=is_removed,
                reasons=reasons,
                rejection_reason=rejection,
                where=where,
            )
        )


def _comment_state(approval: str) -> tuple[str | None, bool, list[dict], str]:
    """WordPress's `comment_approved` → (status, is_removed, moderation reasons, rejection reason)."""

    reason = import_reason
    if approval == "1":
        return Comment.Status.APPROVED, False, reason("approve", "approved in WordPress"), ""
    if approval == "0":
        return Comment.Status.PENDING, False, reason("hold", "awaiting moderation in WordPress"), ""
    if approval == "spam":
        return Comment.Status.REJECTED, False, reason("reject", "marked as spam in WordPress"), "spam"
    if approval in {"trash", "post-trashed"}:
        return Comment.Status.APPROVED, True, reason("reject", "trashed in WordPress"), ""
    return None, False, [], ""


def _terms(element: ET.Element, domain: str) -> list[tuple[str, str]]:
    """(nicename, name) of an item's <category domain="…"> children, in file order."""
    found = []
    for child in children(element, "category"):
        if child.get("domain") == domain:
            name = (child.text or "").strip()
            found.append((child.get("nicename") or name, name))
    return found


def _fields(element: ET.Element) -> dict[str, str]:
    """A <wp:comment>'s direct children as {short tag: text} (the first of each), nothing else kept."""
    fields: dict[str, str] = {}
    for child in element:
        fields.setdefault(short_tag(child.tag), child.text or "")
    return fields
