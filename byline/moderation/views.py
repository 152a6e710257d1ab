"""The moderation area: queues, one comment, one author, actions. Plain forms; a script adds shortcuts.

Every view is for moderators only (readers get 403, anonymous visitors the login page); every action is a
CSRF-protected POST that calls one service and redirects back (POST/redirect/GET). A refused action
re-renders the comment with the reason and the error's HTTP status.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from byline.comments.models import Comment
from byline.core.conf import byline_setting
from byline.core.errors import BylineError
from byline.moderation import queues, services
from byline.moderation.models import ModerationEvent

PAGE_SIZE = 25
BULK_ACTIONS = {"approve", "reject", "hold"}


def moderator_required(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.is_moderator(request.user):
            return render(request, "moderation/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_safe
@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("queue", "pending")
    name = name if name in queues.QUEUES else "pending"
    filters = {
        "article_id": _int(request.GET.get("article")),
        "author_id": _int(request.GET.get("author")),
        "reason": request.GET.get("reason", "").strip()[:40],
        "search": request.GET.get("q", "").strip()[:200],
    }
    page = Paginator(queues.queue(name, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    summaries = queues.author_summaries({c.author_id for c in page})
    for comment in page:
        comment.fingerprint = services.comment_fingerprint(comment)
        comment.author_summary = summaries.get(comment.author_id)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    counts = queues.queue_counts()
    return render(
        request,
        "moderation/queue.html",
        {
            "queue_name": name,
            "queue_label": queues.QUEUES[name],
            "tabs": [
                {"key": key, "label": label, "count": counts.get(key)} for key, label in queues.QUEUES.items()
            ],
            "page": page,
            "filters": filters,
            "reason_codes": queues.REASON_CODES,
            "query": urlencode(query),
            "here": request.get_full_path(),
            "recent": recent_undoable(request.user),
        },
    )


def _comment_page(
    request: HttpRequest, comment: Comment, *, error: str = "", status: int = 200
) -> HttpResponse:
    comment.fingerprint = services.comment_fingerprint(comment)
    return render(
        request,
        "moderation/comment.html",
        {
            "comment": comment,
            "events": queues.comment_events(comment),
            "reports": queues.comment_reports(comment),
            "history": queues.author_history(comment.author),
            "own": comment.author_id == request.user.pk,
            "error": error,
            "here": request.get_full_path(),
            "recent": recent_undoable(request.user),
        },
        status=status,
    )


@require_safe
@moderator_required
def comment_detail(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("article__section", "author"), pk=comment_id)
    return _comment_page(request, comment)


@require_POST
@moderator_required
def comment_act(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("article__section", "author"), pk=comment_id)
    action = request.POST.get("action", "")
    try:
        if action in services.AUTHOR_ACTIONS:
            event = services.author_act(
                author=comment.author,
                moderator=request.user,
                action=action,
                reason=request.POST.get("reason", ""),
                days=_int(request.POST.get("days")),
                comment=comment,
            )
        else:
            event = services.comment_moderate(
                comment_id=comment.pk,
                moderator=request.user,
                action=action,
                reason=request.POST.get("reason", ""),
                fingerprint=request.POST.get("fingerprint"),
            )
    except BylineError as error:
        comment.refresh_from_db()
        return _comment_page(request, comment, error=error.message, status=error.status)
    messages.success(request, f"{event.get_action_display()}: comment {comment.pk}.")
    return redirect(_back(request, reverse("moderation:comment", args=[comment.pk])))


@require_POST
@moderator_required
def bulk(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    ids = [i for i in (_int(v) for v in request.POST.getlist("comment")) if i]
    fallback = reverse("moderation:queue")
    if action not in BULK_ACTIONS or not ids:
        messages.error(request, "Choose comments and an action.")
        return redirect(_back(request, fallback))
    done, refused = 0, []
    for comment_id in ids:
        try:
            services.comment_moderate(
                comment_id=comment_id,
                moderator=request.user,
                action=action,
                reason=request.POST.get("reason", ""),
                fingerprint=request.POST.get(f"fingerprint-{comment_id}"),
            )
            done += 1
        except BylineError as error:
            refused.append(f"comment {comment_id}: {error.message}")
    if done:
        messages.success(request, f"{action.capitalize()}d {done} comment{'s' if done != 1 else ''}.")
    for line in refused:
        messages.error(request, line)
    return redirect(_back(request, fallback))


@require_POST
@moderator_required
def undo(request: HttpRequest, event_id: int) -> HttpResponse:
    try:
        event = services.decision_undo(event_id=event_id, moderator=request.user)
        messages.success(request, f"Undone: {event.reverts.get_action_display()}.")
    except BylineError as error:
        messages.error(request, error.message)
    return redirect(_back(request, reverse("moderation:queue")))


@require_safe
@moderator_required
def author_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    author = get_object_or_404(get_user_model(), pk=user_id)
    return render(
        request,
        "moderation/author.html",
        {"author": author, "history": queues.author_history(author), "own": author.pk == request.user.pk},
    )


@require_POST
@moderator_required
def author_act(request: HttpRequest, user_id: int) -> HttpResponse:
    author = get_object_or_404(get_user_model(), pk=user_id)
    try:
        event = services.author_act(
            author=author,
            moderator=request.user,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            days=_int(request.POST.get("days")),
        )
        messages.success(request, f"{event.get_action_display()}.")
    except BylineError as error:
        messages.error(request, error.message)
        return render(
            request,
            "moderation/author.html",
            {"author": author, "history": queues.author_history(author), "error": error.message},
            status=error.status,
        )
    return redirect("moderation:author", user_id=author.pk)


def recent_undoable(user) -> list[ModerationEvent]:
    """This moderator's own decisions that may still be undone."""
    since = timezone.now() - timedelta(minutes=byline_setting("BYLINE_MODERATION_UNDO_MINUTES"))
    return list(
        ModerationEvent.objects.filter(
            actor=user,
            created_at__gte=since,
            reverted_by__isnull=True,
            action__in=services.COMMENT_ACTIONS | services.AUTHOR_ACTIONS,
        ).select_related("author")[:5]
    )
