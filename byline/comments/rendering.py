"""The HTML of the comment list, rendered once per version of the article's comments and shared by readers.

Rendering 50 threads through `comments/_comment.html` costs tens of milliseconds, almost all of it the same
for every reader. So each comment is rendered once as a reader sees it who neither wrote nor liked it
("neutral"), in three pieces — its opening up to its controls, its controls, and its closing after its
replies — and the tree of pieces, with the section around it, is kept in Django's cache (Redis across app
servers) and in each worker's memory (`worker_cache.py`). A page for one reader is then stitched from the
pieces with a small overlay of what is theirs, made with one query and kept in the worker: their own
comments rendered with their controls (edit, delete), the comments they liked marked so, and their CSRF
token in every form.

Exactness: every entry records the *version token* of the article's page (the anonymous page cache's token,
`byline.web.caching`, which every change to the article's comments, likes or commenters' names bumps after
commit). The token is read before the queries that fill an entry, so an entry is only used while no change
has happened since. What depends on time rather than data is in the key (may this reader post?) or bounds
the overlay (the edit window of the reader's own comments). A reader with comments that others do not see
(held, rejected, shadowed) gets the page rendered live, as do refused posts (which show the reader's draft).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from byline.comments import rules
from byline.comments.models import Comment, CommentLike
from byline.comments.worker_cache import WorkerCache, templates_version
from byline.core.cache import current_tokens
from byline.core.csrf import form_token

logger = logging.getLogger("byline.comments.rendering")

PREFIX = "byline:comments"
TIMEOUT = 3600  # entries of past versions are never read again; they only need to expire
TEMPLATES = ("comments/_section.html", "comments/_form.html", "comments/_comment.html")
# Cut marks in a rendered comment (NUL never reaches the page from readers' text: posting refuses it and
# the HTML sanitiser drops it).
CSRF_MARK = "\x00csrf\x00"
MARKS = {"actions": "\x00actions\x00", "children": "\x00children\x00"}
LIST_MARK = "\x00list\x00"
# A liked comment's button differs from the neutral one by this much (tests compare with a live render).
NOT_LIKED = 'aria-pressed="false"><span data-like-label>Like</span>'
LIKED = 'aria-pressed="true"><span data-like-label>Liked</span>'

# Per worker process: the shared entries used last (see worker_cache.py).
_IN_WORKER = WorkerCache(budget_bytes=12 * 2**20)
_OVERLAYS = WorkerCache(budget_bytes=4 * 2**20)
_PIECES = WorkerCache(budget_bytes=8 * 2**20)
# Rendered HTML, cut where the reader's CSRF token goes.
Text = tuple[str, ...]
# (pk, author_id, opening, controls, closing, replies): one rendered comment and its rendered replies.
Node = tuple[int, int | None, Text, Text, Text, tuple]


@dataclass(frozen=True)
class ListPage:
    """The COMMENTS section for one reader: the number of top-level threads (for pagination), its HTML."""

    thread_count: int
    html: str


def render_threads(*, threads: Iterable[Comment], section, request: HttpRequest) -> str:
    """The list as this reader sees it, from comments loaded live (with `children`, `mine`, `liked`, ...)."""
    nodes = _render_nodes(threads, section)
    return _stitch(nodes, liked=frozenset(), own={}, request=request)


def cached_section(
    *,
    section,
    user,
    page_key: str,
    per_page: int,
    request: HttpRequest,
    version_keys: list[str],
    version: str | None = None,
    load: Callable[[], list[Comment]],
) -> ListPage | None:
    """`section` (comments/_section.html) from the shared cache, stitched for `user`; None when it must be
    rendered live.

    `load()` runs the list's queries on a miss: it sets `section.page` and returns the page's threads
    (with replies). `version_keys` are the cache keys of the tokens the article page depends on (its own
    and the site-wide one); `version`, their values joined by ":" (`joined_version`) if the caller has just
    read them (before any query of this request). Readers share an entry when the
    section offers them the same things (signed in? verified? may post? is the thread open?).
    """
    article = section.article
    flags = (section.signed_in, section.verified, section.can_post, section.open)
    variant = ":".join(
        [str(article.pk), section.sort, page_key, str(per_page), "".join("1" if f else "0" for f in flags)]
    )
    list_key = f"{PREFIX}:section:{templates_version(*TEMPLATES)}:{variant}"
    try:
        version = version or _current_version(version_keys)
        entry = _IN_WORKER.get(list_key, version)
        shared = cache.get(list_key) if entry is None else None
    except Exception:  # the shared cache is down: render live, as the page cache does
        logger.exception("Cache unreachable; rendering the comments of article %s live.", article.pk)
        return None
    if version is None:
        return None
    if entry is None:
        entry = shared
        if not entry or entry["version"] != version:
            entry = _shared_entry(section, load(), request, version)
            try:
                cache.set(list_key, entry, timeout=TIMEOUT)
            except Exception:
                logger.exception("Could not keep the comments of article %s.", article.pk)
        # Most readers have no comment or like on the page: for them it is one join around their token.
        entry = {**entry, "neutral": _flatten(_texts(entry["nodes"], frozenset(), {}, _around(entry)))}
        _IN_WORKER.put(list_key, version, entry, size=2 * _size(entry))
    liked: frozenset[int] = frozenset()
    own: dict[int, tuple[Text, Text, Text]] = {}
    if section.signed_in:
        # Kept in this worker only: a reader's next page view here reuses it while nothing changed.
        reader_key = f"{variant}:{user.pk}"
        overlay = _OVERLAYS.get(reader_key, version)
        if overlay is None or overlay["until"] <= time.time():
            overlay = _reader_overlay(section, user, entry["nodes"])
            _OVERLAYS.put(reader_key, version, overlay, size=_overlay_size(overlay))
        if overlay["hidden"]:
            return None
        liked, own = overlay["liked"], overlay["own"]
    texts = _texts(entry["nodes"], liked, own, _around(entry)) if liked or own else [entry["neutral"]]
    return ListPage(thread_count=entry["count"], html=_join(texts, request))


def joined_version(tokens: list) -> str | None:
    """One version for several tokens: it changes when any of them does; None if one is missing."""
    return None if None in tokens else ":".join(tokens)


def _current_version(version_keys: list[str]) -> str | None:
    return joined_version(current_tokens(version_keys))


def _shared_entry(section, threads: list[Comment], request: HttpRequest, version: str) -> dict:
    """The section as a reader with nothing of their own sees it: its list as pieces, the rest around it."""
    for comment in _walk(threads):
        comment.mine = comment.liked = comment.editable = False
    nodes = _render_nodes(threads, section)
    section.list_html = mark_safe(LIST_MARK) if nodes else ""  # noqa: S308  # nosec B308 B703 (a cut mark)
    html = get_template("comments/_section.html").render(
        {"comments": section, "request": request, "csrf_token": CSRF_MARK}
    )
    head, cut, tail = html.partition(LIST_MARK)
    if not cut:
        head, tail = html, ""
    return {
        "version": version,
        "count": section.page.paginator.count,
        "nodes": nodes,
        "head": _cut_for_token(head),
        "tail": _cut_for_token(tail),
    }


def _size(entry: dict) -> int:
    """About the memory the entry's text takes (two bytes a character, as non-ASCII text does)."""
    texts = [entry["head"], entry["tail"]]
    for _, _, opening, controls, closing, _ in _walk_nodes(entry["nodes"]):
        texts += (opening, controls, closing)
    return 2 * sum(len(part) for text in texts for part in text)


def _overlay_size(overlay: dict) -> int:
    own = sum(len(part) for pieces in overlay["own"].values() for text in pieces for part in text)
    return 256 + 8 * len(overlay["liked"]) + 2 * own


def _their_comments_and_likes(*, article_id: int, user_id: int) -> list[tuple]:
    """(comment id, status, shadowed, liked) for the reader's comments on the article and their likes there.

    Written as SQL: the ORM spends ~0.8 ms of CPU compiling this UNION, the database ~0.1 ms running it,
    and it runs on every reader's first view of a page.
    """
    comments, likes = Comment._meta.db_table, CommentLike._meta.db_table
    sql = (
        f"SELECT c.id, c.status, c.is_shadowed, FALSE FROM {comments} c"  # noqa: S608  # nosec B608 (table names)
        " WHERE c.article_id = %s AND c.author_id = %s"
        f" UNION ALL SELECT l.comment_id, %s, FALSE, TRUE FROM {likes} l"
        f" JOIN {comments} c ON c.id = l.comment_id WHERE l.user_id = %s AND c.article_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [article_id, user_id, Comment.Status.APPROVED.value, user_id, article_id])
        return cursor.fetchall()


def _reader_overlay(section, user, nodes: tuple[Node, ...]) -> dict:
    """What of the list is this reader's: their comments' controls and their likes.

    One light query (their comments on the article and their likes there); a second one loads their
    comments on this page, for readers who have some.
    """
    article = section.article
    own_replies = {node[0]: node[5] for node in _walk_nodes(nodes) if node[1] == user.pk}
    rows = _their_comments_and_likes(article_id=article.pk, user_id=user.pk)
    overlay = {"hidden": False, "liked": frozenset(), "own": {}, "until": float("inf")}
    # Comments of theirs that only they can see change the whole list: such a reader's page is live.
    approved = Comment.Status.APPROVED
    if any(not liked and (status != approved or shadowed) for _, status, shadowed, liked in rows):
        overlay["hidden"] = True
        return overlay
    if section.verified:
        overlay["liked"] = frozenset(pk for pk, _, _, liked in rows if liked)
    mine = []
    if own_replies:
        mine = Comment.objects.filter(pk__in=list(own_replies)).select_related(
            "author", "in_reply_to__author"
        )
    for comment in mine:
        comment.article = article
        comment.children = list(own_replies[comment.pk])
        comment.mine, comment.liked = True, False
        comment.editable = rules.may_edit(comment, user)
        if comment.editable:
            overlay["until"] = min(overlay["until"], rules.edit_deadline(comment).timestamp())
        overlay["own"][comment.pk] = _render_pieces(comment, section)
    return overlay


def _render_nodes(threads: Iterable[Comment], section) -> tuple[Node, ...]:
    return tuple(
        (
            comment.pk,
            comment.author_id,
            *_render_pieces(comment, section),
            _render_nodes(comment.children, section),
        )
        for comment in threads
    )


def _render_pieces(comment: Comment, section) -> tuple[Text, Text, Text]:
    """One comment as (opening, controls, closing), cut where its controls and its replies go.

    Kept in this worker by a fingerprint of everything comments/_comment.html shows: when a section is
    made again (a like, a new reply), only the comments that changed are rendered again.
    """
    fingerprint = _fingerprint(comment, section)
    pieces = _PIECES.get(fingerprint, True)
    if pieces is None:
        pieces = _render_comment(comment, section)
        _PIECES.put(fingerprint, True, pieces, size=2 * sum(len(part) for text in pieces for part in text))
    return pieces


def _fingerprint(comment: Comment, section) -> str:
    """What the comment's HTML depends on (keep in step with comments/_comment.html)."""
    replying_to = comment.in_reply_to.author_name if comment.in_reply_to_id and comment.in_reply_to else None
    state = (
        templates_version(*TEMPLATES),
        settings.TIME_ZONE,
        section.article.pk,
        (section.signed_in, section.verified, section.can_post, section.nudge, section.error),
        (section.draft_parent, section.draft_edit, section.draft_body),
        comment.pk,
        comment.depth,
        comment.author_id,
        comment.author_name,
        comment.created_at,
        comment.edited_at,
        comment.in_reply_to_id,
        replying_to,
        comment.status,
        comment.rejection_reason,
        (comment.is_removed, comment.is_shadowed, comment.is_featured),
        comment.like_count,
        comment.body_html,
        (comment.mine, comment.liked, comment.editable),
        comment.body_source if comment.editable else None,
        bool(comment.children),
    )
    return hashlib.blake2b(repr(state).encode(), digest_size=16).hexdigest()


def _render_comment(comment: Comment, section) -> tuple[Text, Text, Text]:
    html = get_template("comments/_comment.html").render(
        {"comment": comment, "comments": section, "cut": MARKS, "csrf_token": CSRF_MARK}
    )
    # Replies go between the opening and the closing; a comment without replies closes with its `</li>`.
    head, cut, closing = html.rpartition(MARKS["children"] if comment.children else "</li>")
    if not comment.children:
        closing = cut + closing
    opening, cut, controls = head.rpartition(MARKS["actions"])
    if not cut:  # a removed comment has no controls
        opening, controls = head, ""
    return _cut_for_token(opening), _cut_for_token(controls), _cut_for_token(closing)


def _cut_for_token(html: str) -> Text:
    # Joining the pieces around the token is many times faster than replacing marks in a page of 200 KB.
    return tuple(html.split(CSRF_MARK))


def _stitch(
    nodes: tuple[Node, ...],
    *,
    liked: frozenset[int],
    own: dict,
    request: HttpRequest,
    around: tuple[Text, Text] = ((), ()),
) -> str:
    """The HTML of `nodes` (between `around`), with this reader's likes, own comments and CSRF token."""
    return _join(_texts(nodes, liked, own, around), request)


def _around(entry: dict) -> tuple[Text, Text]:
    return entry["head"], entry["tail"]


def _texts(nodes: tuple[Node, ...], liked: frozenset, own: dict, around: tuple[Text, Text]) -> list[Text]:
    texts: list[Text] = [around[0]]
    _collect(texts, nodes, liked, own)
    texts.append(around[1])
    return texts


def _join(texts: list[Text], request: HttpRequest) -> str:
    # Only a page with forms asks for a token: asking sets the CSRF cookie, which keeps pages out of caches.
    token = form_token(request) if any(len(text) > 1 for text in texts) else ""
    return "".join([token.join(text) for text in texts])


def _flatten(texts: list[Text]) -> Text:
    """The texts as one, cut at the same places: `token.join` of it equals `_join` of them."""
    parts: list[str] = []
    pending: list[str] = []  # pieces of the part being made
    for text in texts:
        if text:
            pending.append(text[0])
            for part in text[1:]:
                parts.append("".join(pending))
                pending = [part]
    parts.append("".join(pending))
    return tuple(parts)


def _collect(texts: list, nodes: tuple[Node, ...], liked: frozenset[int], own: dict) -> None:
    for pk, _author, opening, controls, closing, replies in nodes:
        if pk in own:
            opening, controls, closing = own[pk]
        elif pk in liked:
            controls = tuple(part.replace(NOT_LIKED, LIKED, 1) for part in controls)
        texts.append(opening)
        texts.append(controls)
        if replies:
            _collect(texts, replies, liked, own)
        texts.append(closing)


def _walk(threads: Iterable[Comment]):
    for comment in threads:
        yield comment
        yield from _walk(comment.children)


def _walk_nodes(nodes: tuple[Node, ...]):
    for node in nodes:
        yield node
        yield from _walk_nodes(node[5])
