"""The moderation area's other pages: audit log (and CSV), word lists, settings, overview, appeals."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from byline.comments.models import Comment
from byline.core.errors import BylineError
from byline.core.timefmt import format_stamp
from byline.moderation import configuration, dashboard, selectors, services
from byline.moderation.models import ModerationEvent, ModerationMode, WordListEntry
from byline.moderation.views import _int, moderator_required
from byline.newsroom.models import Article


def _log_rows(request: HttpRequest):
    events = ModerationEvent.objects.select_related("author", "comment__article")
    if author := _int(request.GET.get("author")):
        events = events.filter(author_id=author)
    if comment := _int(request.GET.get("comment")):
        events = events.filter(comment_ref=comment)
    if action := request.GET.get("action"):
        events = events.filter(action=action)
    return events


@require_safe
@moderator_required
def log(request: HttpRequest) -> HttpResponse:
    page = Paginator(_log_rows(request), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/log.html",
        {"page": page, "actions": ModerationEvent.Action.choices, "query": request.GET.urlencode()},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_safe
@moderator_required
def log_csv(request: HttpRequest) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    header = [
        "time",
        "actor",
        "action",
        "reason",
        "status_before",
        "status_after",
        "comment",
        "author",
        "reverts",
    ]

    def rows():
        yield writer.writerow(header)
        for e in _log_rows(request).order_by("created_at", "id").iterator(chunk_size=500):
            author = e.author.public_name if e.author_id else ""
            yield writer.writerow(
                [
                    format_stamp(e.created_at),
                    e.actor_name,
                    e.action,
                    _cell(e.reason),
                    e.status_before,
                    e.status_after,
                    e.comment_ref or "",
                    _cell(author),
                    e.reverts_id or "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="moderation-log.csv"'
    return response


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas in user-supplied text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_http_methods(["GET", "HEAD", "POST"])
@moderator_required
def words(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            if remove := _int(request.POST.get("remove")):
                configuration.wordlist_entry_remove(entry_id=remove, moderator=request.user)
                messages.success(request, "Removed from the list.")
            else:
                entry = configuration.wordlist_entry_add(
                    term=request.POST.get("term", ""),
                    list_name=request.POST.get("list_name", ""),
                    category=request.POST.get("category", "other"),
                    moderator=request.user,
                )
                messages.success(request, f"Added “{entry.term}”.")
            return redirect("moderation:words")
        except BylineError as exc:
            error = exc.message
    list_name = request.GET.get("list", "")
    entries = WordListEntry.objects.filter(is_active=True)
    if list_name in WordListEntry.ListName.values:
        entries = entries.filter(list_name=list_name)
    if q := request.GET.get("q", "").strip():
        entries = entries.filter(term__icontains=q)
    return render(
        request,
        "moderation/words.html",
        {
            "page": Paginator(entries, 100).get_page(request.GET.get("page")),
            "lists": WordListEntry.ListName.choices,
            "categories": WordListEntry.Category.choices,
            "list_name": list_name,
            "error": error,
        },
        status=400 if error else 200,
    )


def _float(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


@require_http_methods(["GET", "HEAD", "POST"])
@moderator_required
def site_settings(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            if article_id := _int(request.POST.get("article")):
                article = get_object_or_404(Article, pk=article_id)
                configuration.article_mode_set(
                    article=article, mode=request.POST.get("mode", ""), moderator=request.user
                )
                messages.success(request, f"Moderation of “{article.headline}” saved.")
            else:
                configuration.site_settings_update(
                    moderator=request.user,
                    mode=request.POST.get("mode", ""),
                    hold_threshold=_float(request.POST.get("hold_threshold")),
                    nudge_threshold=_float(request.POST.get("nudge_threshold")),
                    max_links=_int(request.POST.get("max_links")),
                    trust_after=_int(request.POST.get("trust_after")),
                )
                messages.success(request, "Site moderation settings saved.")
            return redirect("moderation:settings")
        except BylineError as exc:
            error = exc.message
    row = selectors.site_settings()
    overrides = Article.objects.filter(moderation_settings__isnull=False).exclude(
        moderation_settings__mode=""
    )
    return render(
        request,
        "moderation/settings.html",
        {
            "row": row,
            "modes": ModerationMode.choices,
            "effective": selectors.effective_settings(),
            "overrides": overrides.select_related("moderation_settings", "section"),
            "recent_articles": Article.objects.live().order_by("-published_at")[:30],
            "error": error,
        },
        status=400 if error else 200,
    )


@require_safe
@moderator_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/overview.html", dashboard.overview())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appeal(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The author of a rejected comment asks once for a second look."""
    comment = get_object_or_404(Comment.objects.select_related("article__section"), pk=comment_id)
    if comment.author_id != request.user.pk:
        return render(request, "moderation/forbidden.html", status=403)
    error = ""
    if request.method == "POST":
        try:
            services.appeal_create(
                comment_id=comment.pk, user=request.user, text=request.POST.get("text", "")
            )
            messages.success(request, "Thanks. A moderator will take a second look at your comment.")
            return redirect(comment.article.get_absolute_url())
        except BylineError as exc:
            error = exc.message
    return render(
        request,
        "moderation/appeal.html",
        {"comment": comment, "error": error, "appealed": hasattr(comment, "appeal")},
        status=400 if error else 200,
    )


@require_POST
@moderator_required
def digest_now(request: HttpRequest) -> HttpResponse:
    from byline.moderation.notifications import send_digest

    sent = send_digest(force=True)
    messages.success(request, f"Digest sent to {sent} moderator(s).")
    return redirect("moderation:queue")
