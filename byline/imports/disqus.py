"""`byline import-disqus`: a Disqus export into comments under the articles they were written for.

A Disqus export lists <thread>s (one per page that had comments) and then <post>s (the comments), each
post naming its thread and, for a reply, its parent. A thread is matched to an article by the WordPress id
in its <id> (when the WordPress importer brought that post in), else by its <link>: an old address that
redirects to an article, or the article's own address.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from byline.comments.models import Comment
from byline.imports.base import Importer, parse_datetime_utc, path_of
from byline.imports.commentwriter import CommentRecord, import_reason
from byline.imports.identities import Kind
from byline.imports.models import ImportedIdentity, Source
from byline.imports.xmlstream import Event, ImportFailed, child_text, short_tag
from byline.newsroom.models import Article, ArticleRedirect

DSQ_ID = "dsq:id"
_LEADING_NUMBER = re.compile(r"^\s*(\d+)\b")


class DisqusImporter(Importer):
    source = Source.DISQUS

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.threads: dict[str, int | None] = {}
        self.thread_titles: dict[str, str] = {}
        self.unmatched_posts: dict[str, int] = {}
        self.seen_posts: set[str] = set()

    def read(self) -> None:
        for event in self.stream.events(max_depth=2, starts_up_to=1):
            if event.kind == "start":
                if len(event.path) == 1:
                    self._check_root(event)
                continue
            if len(event.path) != 2:
                continue
            if event.tag == "thread":
                self._thread(event)
            elif event.tag == "post":
                self._post(event)
            elif event.tag == "category" and not self.report.site:
                self.report.site = child_text(event.element, "forum").strip()
            event.release()
            self.tick()
        self.comments.finish()
        for thread_id, count in self.unmatched_posts.items():
            self.report.skipped["comment"] += count
            self.report.note(
                "comment",
                "thread matches no article; its comments were skipped",
                f"{count} comment(s) on “{self.thread_titles.get(thread_id, thread_id)}”",
            )

    def _check_root(self, event: Event) -> None:
        if event.tag == "disqus":
            return
        hint = ""
        if event.tag == "rss":
            hint = " It looks like a WordPress export: use `byline import-wordpress`."
        raise ImportFailed(
            f"{self.stream.display_name} is not a Disqus export: it starts with <{event.tag}> (line "
            f"{event.line}), where a Disqus export starts with <disqus>.{hint} Nothing was imported.",
            code="not_an_export",
        )

    # Threads -------------------------------------------------------------------------------------------

    def _thread(self, event: Event) -> None:
        element = event.element
        thread_id = element.get(DSQ_ID, "")
        if not self.report.site:
            self.report.site = child_text(element, "forum").strip()
        title = child_text(element, "title").strip() or child_text(element, "link").strip()
        self.thread_titles[thread_id] = title[:80]
        where = f"thread {thread_id} “{title[:60]}” (line {event.line})"
        if not thread_id:
            self.report.skip("thread", "thread without a dsq:id", where)
            return
        if thread_id in self.threads:
            self.report.skip("thread", f"duplicate thread id {thread_id}; the first one was kept", where)
            return
        article_id = self._match_article(
            wordpress_id=child_text(element, "id"), link=child_text(element, "link").strip()
        )
        self.threads[thread_id] = article_id
        if article_id is None:
            self.report.skip("thread", "matches no article (neither its WordPress id nor its link)", where)
        else:
            self.report.add("unchanged", "thread")

    def _match_article(self, *, wordpress_id: str, link: str) -> int | None:
        number = _LEADING_NUMBER.match(wordpress_id or "")
        if number:
            candidates = ImportedIdentity.objects.filter(
                source=Source.WORDPRESS, kind=Kind.POST, external_id=number.group(1)
            )
            host = urlsplit(link).netloc
            rows = list(candidates.values_list("site", "object_id"))
            same_site = [object_id for site, object_id in rows if host and urlsplit(site).netloc == host]
            if same_site or len(rows) == 1:
                return (same_site or [rows[0][1]])[0]
        path = path_of(link)
        if not path:
            return None
        redirect = ArticleRedirect.objects.filter(old_path=path).values_list("article_id", flat=True).first()
        if redirect:
            return redirect
        try:
            match = resolve(path.split("?")[0])
        except Resolver404:
            return None
        if match.url_name != "article":
            return None
        return (
            Article.objects.filter(section__slug=match.kwargs["section"], slug=match.kwargs["slug"])
            .values_list("pk", flat=True)
            .first()
        )

    # Posts ---------------------------------------------------------------------------------------------

    def _post(self, event: Event) -> None:
        element = event.element
        post_id = element.get(DSQ_ID, "")
        where = f"post {post_id or '(no id)'} (line {event.line})"
        if not post_id:
            self.report.skip("comment", "post without a dsq:id", where)
            return
        if post_id in self.seen_posts:
            self.report.skip("comment", f"duplicate post id {post_id}; the first one was kept", where)
            return
        self.seen_posts.add(post_id)
        thread_id = _ref(element, "thread")
        if thread_id not in self.threads:
            self.report.skip(
                "comment", "its thread is not declared in the export", f"{where}, thread {thread_id}"
            )
            return
        article_id = self.threads[thread_id]
        if article_id is None:
            self.unmatched_posts[thread_id] = self.unmatched_posts.get(thread_id, 0) + 1
            return
        created_at = parse_datetime_utc(child_text(element, "createdAt"))
        if created_at is None:
            self.report.skip("comment", "no valid date", where)
            return
        author = next((child for child in element if short_tag(child.tag) == "author"), None)
        name = child_text(author, "name") if author is not None else ""
        if not name.strip() and author is not None:
            name = child_text(author, "username")
        status, is_removed, reasons, rejection = _post_state(element)
        self.comments.add(
            CommentRecord(
                external_id=post_id,
                parent_external_id=_ref(element, "parent"),
                article_id=article_id,
                author_name=name,
                author_email=child_text(author, "email") if author is not None else "",
                ip_address=child_text(element, "ipAddress"),
                created_at=created_at,
                body=child_text(element, "message"),
                status=status,
                is_removed=is_removed,
                reasons=reasons,
                rejection_reason=rejection,
                where=where,
            )
        )


def _ref(element: ET.Element, tag: str) -> str:
    for child in element:
        if short_tag(child.tag) == tag:
            return child.get(DSQ_ID, "").strip()
    return ""


def _flag(element: ET.Element, tag: str) -> bool | None:
    value = child_text(element, tag, "").strip().lower()
    if not value:
        return None
    return value in {"true", "1"}


def _post_state(element: ET.Element) -> tuple[str, bool, list[dict], str]:
    reason = import_reason
    if _flag(element, "isSpam"):
        return Comment.Status.REJECTED, False, reason("reject", "marked as spam in Disqus"), "spam"
    if _flag(element, "isDeleted"):
        return Comment.Status.APPROVED, True, reason("reject", "deleted in Disqus"), ""
    if _flag(element, "isApproved") is False:
        return Comment.Status.PENDING, False, reason("hold", "awaiting moderation in Disqus"), ""
    return Comment.Status.APPROVED, False, reason("approve", "published in Disqus"), ""
