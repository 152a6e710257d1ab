"""Reads for the COMMENTS section, the reader profile and permalinks.

`comment_section_for_article` runs a fixed number of queries whatever the number of comments: the page of
top-level threads (count + slice), every reply of those threads (one query, by `thread_root`), the reader's
likes on them, and the reader's own held comments. Templates then only read attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import mark_safe

from byline.comments import rendering, rules
from byline.comments.models import Comment, CommentLike, CommentReport
from byline.core.conf import byline_setting
from byline.newsroom.models import Article

# Staff picks (featured comments) come first in every order.
SORTS = {
    "newest": ("Newest first", ("-is_featured", "-created_at", "-id")),
    "oldest": ("Oldest first", ("-is_featured", "created_at", "id")),
    "liked": ("Most liked", ("-is_featured", "-like_count", "-created_at", "-id")),
}
DEFAULT_SORT = "newest"


@dataclass
class SortOption:
    key: str
    label: str
    url: str
    current: bool


@dataclass
class CommentSection:
    """Everything comments/_section.html shows. `open` is False when the thread is closed."""

    article: Article
    open: bool
    total: int = 0
    threads: list[Comment] = field(default_factory=list)
    page: Page | None = None
    sort: str = DEFAULT_SORT
    sorts: list[SortOption] = field(default_factory=list)
    error: str = ""
    notice: str = ""
    nudge: bool = False
    can_post: bool = False
    signed_in: bool = False
    verified: bool = False
    held: list[Comment] = field(default_factory=list)
    max_length: int = 5000
    draft_body: str = ""
    draft_parent: int | None = None
    draft_edit: int | None = None
    report_reasons: list = field(default_factory=list)
    closes_at: object = None
    list_html: str = ""  # the rendered threads of this page (byline.comments.rendering)
    rendered: str = ""  # the whole section, when it comes from the shared cache (list_html is then unset)

    def page_url(self, number: int) -> str:
        return "?" + urlencode({"sort": self.sort, "cpage": number}) + "#comments"

    @property
    def previous_url(self) -> str:
        return (
            self.page_url(self.page.previous_page_number()) if self.page and self.page.has_previous() else ""
        )

    @property
    def next_url(self) -> str:
        return self.page_url(self.page.next_page_number()) if self.page and self.page.has_next() else ""


def visible_to(user) -> Q:
    """What a reader sees in the section: public comments, removed placeholders, their own in any state."""
    shown = Q(status=Comment.Status.APPROVED, is_shadowed=False)
    if user is not None and user.is_authenticated:
        shown |= Q(author_id=user.pk)
    return shown


def _top_level(article: Article, user, sort: str) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(article=article, parent__isnull=True)
        .filter(visible_to(user))
        .select_related("author")
        .order_by(*SORTS[sort][1])
    )


def reader_section(*, article: Article, user, **fields) -> CommentSection:
    """What this reader may do under `article` (read, post, report), without the list of comments: the
    start of every COMMENTS section, and all the reply and report pages need."""
    signed_in = bool(user and user.is_authenticated)
    section = CommentSection(
        article=article,
        open=not rules.comments_closed(article),
        total=article.comment_count,
        signed_in=signed_in,
        verified=bool(signed_in and user.is_verified),
        max_length=byline_setting("BYLINE_COMMENT_MAX_LENGTH"),
        report_reasons=CommentReport.Reason.choices,
        closes_at=rules.closes_at(article),
        **fields,
    )
    section.can_post = section.open and section.verified and user.is_active
    return section


def comment_section_for_article(
    *,
    article: Article,
    request: HttpRequest,
    error: str = "",
    nudge: bool = False,
    draft_body: str = "",
    draft_parent: int | None = None,
    draft_edit: int | None = None,
    version_keys: list[str] | None = None,
    version: str | None = None,
) -> CommentSection:
    """The COMMENTS section of `article` for this request's reader, sort (`?sort=`) and page (`?cpage=`).

    After a refused post the view passes the reader's text back (`draft_*`) with the `error` to show.
    With `version_keys` (the cache keys of the version tokens the article page depends on; `version`, their
    joined values when the caller has just read them) the section comes from the shared rendering cache
    (`byline.comments.rendering`); without them, or with a draft to put back, it is rendered live.
    """
    user = getattr(request, "user", None)
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    section = reader_section(
        article=article,
        user=user,
        sort=sort,
        sorts=[
            SortOption(key, label, "?" + urlencode({"sort": key}) + "#comments", key == sort)
            for key, (label, _) in SORTS.items()
        ],
        error=error,
        draft_body=draft_body,
        draft_parent=draft_parent,
        draft_edit=draft_edit,
        nudge=nudge,
    )
    signed_in = section.signed_in
    per_page = byline_setting("BYLINE_COMMENTS_PER_PAGE")
    page_key = _page_key(request.GET.get("cpage"))
    drafting = error or draft_body or draft_parent is not None or draft_edit is not None
    if version_keys and page_key and not drafting:
        cached = _cached_list(section, request, user, sort, page_key, per_page, (version_keys, version))
        if cached is not None:
            return cached
    paginator = Paginator(_top_level(article, user, sort), per_page)
    section.page = paginator.get_page(request.GET.get("cpage"))
    section.threads = list(section.page.object_list)
    _attach_replies(section.threads, article=article, user=user)
    if draft_parent is not None and not any(
        c.pk == draft_parent and c.is_public for c in _all_loaded(section.threads)
    ):
        section.draft_parent = None  # no reply form to put the text back in: the main form gets it
    if signed_in:
        section.held = [c for c in _all_loaded(section.threads) if c.author_id == user.pk and c.is_held]
    section.list_html = mark_safe(  # noqa: S308  # nosec B308 B703 (templates escaped readers' text)
        rendering.render_threads(threads=section.threads, section=section, request=request)
    )
    return section


def _page_key(cpage: str | None) -> str | None:
    """The `?cpage=` a cached list is kept under; None for odd values (rendered live, not cached)."""
    if not cpage:
        return "1"
    return str(int(cpage)) if cpage.isdigit() and len(cpage) <= 6 else None


def _cached_list(section, request, user, sort, page_key, per_page, versions) -> CommentSection | None:
    article = section.article

    def load() -> list[Comment]:
        # Shared by every reader of this variant: as a reader with no comments of their own sees it.
        section.page = Paginator(_top_level(article, None, sort), per_page).get_page(page_key)
        threads = list(section.page.object_list)
        _attach_replies(threads, article=article, user=None)
        return threads

    listed = rendering.cached_section(
        section=section,
        user=user,
        page_key=page_key,
        per_page=per_page,
        request=request,
        version_keys=versions[0],
        version=versions[1],
        load=load,
    )
    if listed is None:
        return None
    section.page = Paginator(range(listed.thread_count), per_page).get_page(page_key)
    section.rendered = mark_safe(listed.html)  # noqa: S308  # nosec B308 B703 (see render_threads)
    return section


def _all_loaded(threads: list[Comment]):
    stack = list(threads)
    while stack:
        comment = stack.pop()
        yield comment
        stack.extend(comment.children)


def _attach_replies(threads: list[Comment], *, article: Article, user) -> None:
    """Give every loaded comment `children`, `liked`, `mine`, `editable`; one query for all replies."""
    by_id = {c.pk: c for c in threads}
    replies = []
    if threads:
        replies = list(
            Comment.objects.filter(thread_root_id__in=list(by_id))
            .filter(visible_to(user))
            .select_related("author", "in_reply_to__author")
            .order_by("created_at", "id")
        )
    for comment in [*threads, *replies]:
        comment.article = article  # the page's article: no query when a template asks for its URL
        comment.children = []
        by_id[comment.pk] = comment
    for reply in replies:
        # A reply whose parent is hidden (held or rejected for someone else) hangs under its thread.
        holder = by_id.get(reply.parent_id) or by_id.get(reply.thread_root_id)
        if holder is not None:
            holder.children.append(reply)
    liked: set[int] = set()
    if user is not None and user.is_authenticated and by_id:
        liked = set(
            CommentLike.objects.filter(user=user, comment_id__in=list(by_id)).values_list(
                "comment_id", flat=True
            )
        )
    for comment in by_id.values():
        comment.liked = comment.pk in liked
        comment.mine = bool(user is not None and user.is_authenticated and comment.author_id == user.pk)
        comment.editable = comment.mine and rules.may_edit(comment, user)


def comment_permalink(*, comment: Comment, user=None, sort: str = DEFAULT_SORT) -> str:
    """The article page, on the page of threads that holds `comment`, scrolled to it."""
    root = comment.thread_root or comment
    before = _top_level(comment.article, user, sort)
    if sort == "oldest":
        ahead = before.filter(
            Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, id__lt=root.pk)
        )
    elif sort == "newest":
        ahead = before.filter(
            Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, id__gt=root.pk)
        )
    else:
        ahead = before.filter(
            Q(like_count__gt=root.like_count)
            | Q(like_count=root.like_count, created_at__gt=root.created_at)
            | Q(like_count=root.like_count, created_at=root.created_at, id__gt=root.pk)
        )
    # Featured threads stand before all others; among themselves they keep the chosen order.
    if root.is_featured:
        ahead = ahead.filter(is_featured=True)
    else:
        ahead = before.filter(is_featured=True) | ahead.filter(is_featured=False)
    per_page = byline_setting("BYLINE_COMMENTS_PER_PAGE")
    page = ahead.count() // per_page + 1
    query = {"sort": sort} if sort != DEFAULT_SORT else {}
    if page > 1:
        query["cpage"] = page
    suffix = ("?" + urlencode(query)) if query else ""
    return f"{comment.article.get_absolute_url()}{suffix}#comment-{comment.pk}"


def comment_get(*, comment_id) -> Comment:
    from byline.core.errors import NotFound

    try:
        return Comment.objects.select_related("article__section", "thread_root").get(pk=int(comment_id))
    except (ValueError, TypeError, Comment.DoesNotExist):
        raise NotFound("That comment does not exist.") from None


def reader_public_comments(*, user, page_number) -> Page:
    """A reader's approved comments on live articles, newest first, for their public profile."""
    queryset = (
        Comment.objects.public()
        .filter(author=user, article__in=Article.objects.live())
        .select_related("article__section")
        .order_by("-created_at", "-id")
    )
    return Paginator(queryset, 20).get_page(page_number)


def profile_url(user) -> str:
    return reverse("comments:profile", kwargs={"user_id": user.pk})
