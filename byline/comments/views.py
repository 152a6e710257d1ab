"""Comment actions: plain form POSTs that redirect back to the comment, or JSON for comments.js.

Views parse the request and call one service; a refused post re-renders the article page with the reader's
text kept and the reason shown, with the error's HTTP status (429 and Retry-After for rate limits).
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.db.models import Field
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from byline.comments import reactions, selectors, services
from byline.comments.models import Comment
from byline.comments.notifications import user_for_unsubscribe_token
from byline.core.csrf import form_token
from byline.core.errors import BylineError, RateLimited
from byline.core.ip import client_ip
from byline.core.rows import instance_from_row
from byline.newsroom.models import Article, Section
from byline.newsroom.selectors import article_for_reader

_STORY_FIELDS = ("body_source", "body_html", "body_text", "hero_renditions")


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _client_ip(request: HttpRequest) -> str:
    return client_ip(request)


def _live_article(article_id: int) -> Article:
    """`Article.objects.live().select_related("section").defer(*_STORY_FIELDS).get(pk=…)`, or 404.

    Comment actions never show the story: its text (tens of KB for a long read) stays in the database. The
    query is written out once per process: compiling it cost the ORM ~0.6 ms of CPU on every comment POST,
    six times what the database spends answering it. tests/comments/test_live_article.py holds it to
    `Article.objects.live()` (published or scheduled, with a time that has come).
    """
    sql, article_fields, section_fields = _live_article_query(connection.vendor)
    now = Article._meta.get_field("published_at").get_db_prep_value(timezone.now(), connection)
    live = [Article.Status.PUBLISHED.value, Article.Status.SCHEDULED.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, [int(article_id), *live, now])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such article")
    split = len(article_fields)
    article = instance_from_row(Article, article_fields, row[:split], connection)
    section = instance_from_row(Section, section_fields, row[split:], connection)
    Article.section.field.set_cached_value(article, section)
    return article


@functools.cache
def _live_article_query(vendor: str) -> tuple[str, tuple[Field, ...], tuple[Field, ...]]:
    quote = connection.ops.quote_name
    article_table, section_table = quote(Article._meta.db_table), quote(Section._meta.db_table)
    article_fields = tuple(f for f in Article._meta.concrete_fields if f.name not in _STORY_FIELDS)
    section_fields = tuple(Section._meta.concrete_fields)
    columns = [f"{article_table}.{quote(f.column)}" for f in article_fields]
    columns += [f"{section_table}.{quote(f.column)}" for f in section_fields]
    pk, section_id, status, published_at = (
        f"{article_table}.{quote(Article._meta.get_field(name).column)}"
        for name in ("id", "section", "status", "published_at")
    )
    sql = (
        f"SELECT {', '.join(columns)} FROM {article_table} INNER JOIN {section_table}"  # noqa: S608  # nosec B608 (model metadata)
        f" ON {section_table}.{quote(Section._meta.pk.column)} = {section_id}"
        f" WHERE {pk} = %s AND {status} IN (%s, %s)"
        f" AND {published_at} IS NOT NULL AND {published_at} <= %s"
    )
    return sql, article_fields, section_fields


def _error_response(
    request: HttpRequest,
    *,
    article: Article,
    error: BylineError,
    body: str = "",
    parent: str | None = None,
    edit: int | None = None,
    nudge: bool = False,
    status: int | None = None,
) -> HttpResponse:
    status = status or error.status
    if wants_json(request):
        response: HttpResponse = JsonResponse(
            {"ok": False, "error": error.message, "code": error.code, "nudge": nudge}, status=status
        )
    else:
        full = article_for_reader(section_slug=article.section.slug, slug=article.slug)
        draft_parent = int(parent) if parent and str(parent).isdigit() else None
        section = selectors.comment_section_for_article(
            article=full,
            request=request,
            error=error.message,
            nudge=nudge,
            draft_body=body,
            draft_parent=draft_parent,
            draft_edit=edit,
        )
        if draft_parent is not None and section.draft_parent is None:
            # The comment answered is not on the page the section shows: keep the reply with it.
            parent_comment = Comment.objects.filter(pk=draft_parent, article=article).first()
            if parent_comment is not None and parent_comment.is_public:
                parent_comment.article = full
                page = _reply_page(
                    request, parent_comment, error=error.message, body=body, nudge=nudge, status=status
                )
                return _with_retry_after(page, error)
        context = {"article": full, "bylines": full.bylines.all(), "preview": False, "comments": section}
        response = render(request, "web/article.html", context, status=status)
    return _with_retry_after(response, error)


def _with_retry_after(response: HttpResponse, error: BylineError) -> HttpResponse:
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def _reply_page(
    request: HttpRequest,
    comment: Comment,
    *,
    error: str = "",
    body: str = "",
    nudge: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The reply page: the comment answered and the form, with a refused reply's text and reason."""
    section = selectors.reader_section(article=comment.article, user=request.user)
    context = {
        "comment": comment,
        "comments": section,
        "error": error,
        "body": body,
        "nudge": nudge,
        "back": selectors.comment_permalink(comment=comment, user=request.user),
    }
    return render(request, "comments/reply.html", context, status=status)


def _comment_html(request: HttpRequest, comment: Comment) -> str:
    comment.children = []
    comment.liked = False
    comment.mine = comment.author_id == request.user.pk
    comment.editable = comment.mine
    section = selectors.CommentSection(article=comment.article, open=True, can_post=True, signed_in=True)
    section.verified = True
    section.report_reasons = []
    # Without `request`: the fragment needs only the CSRF token, not the page's context processors (the
    # navigation, the site name), which would cost a cache read on every post.
    context = {"comment": comment, "comments": section, "csrf_token": form_token(request)}
    return render_to_string("comments/_comment.html", context)


@require_POST
def post(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _live_article(article_id)
    body = request.POST.get("body", "")
    parent = request.POST.get("parent") or None
    try:
        result = services.post_comment(
            author=request.user,
            article=article,
            body_source=body,
            parent_id=parent,
            ip_address=_client_ip(request),
            honeypot=request.POST.get("website", ""),
            confirmed_nudge=request.POST.get("confirm") == "1",
        )
    except BylineError as error:
        return _error_response(request, article=article, error=error, body=body, parent=parent)
    comment = result.comment
    if comment is None or comment.status == Comment.Status.REJECTED:
        refusal = BylineError(result.message, code="nudge" if comment is None else "rejected")
        return _error_response(
            request,
            article=article,
            error=refusal,
            body=body,
            parent=parent,
            nudge=comment is None,
            status=200,
        )
    comment.article = article
    if wants_json(request):
        # A published comment's count is the one stored with it (post_comment keeps it on `article`).
        return JsonResponse(
            {
                "ok": True,
                "id": comment.pk,
                "status": comment.status,
                "parent": comment.parent_id,
                "message": result.message,
                "count": article.comment_count,
                "html": _comment_html(request, comment),
            },
            status=200 if result.duplicate else 201,
        )
    if result.message:
        messages.info(request, result.message)
    return redirect(selectors.comment_permalink(comment=comment, user=request.user))


@require_POST
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    body = request.POST.get("body", "")
    try:
        comment = services.comment_for_author(comment_id=comment_id, user=request.user)
    except BylineError as error:
        return _refuse_without_article(request, error, comment_id)
    try:
        result = services.comment_edit(
            comment=comment,
            user=request.user,
            body_source=body,
            confirmed_nudge=request.POST.get("confirm") == "1",
        )
    except BylineError as error:
        return _error_response(request, article=comment.article, error=error, body=body, edit=comment.pk)
    if result.comment is None or result.comment.status == Comment.Status.REJECTED:
        refusal = BylineError(result.message, code="rejected")
        return _error_response(
            request,
            article=comment.article,
            error=refusal,
            body=body,
            edit=comment.pk,
            nudge=True,
            status=200,
        )
    if result.message:
        messages.info(request, result.message)
    result.comment.article = comment.article
    if wants_json(request):
        return JsonResponse({"ok": True, "id": comment.pk, "html": _comment_html(request, result.comment)})
    return redirect(selectors.comment_permalink(comment=result.comment, user=request.user))


@require_POST
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    try:
        comment = services.comment_for_author(comment_id=comment_id, user=request.user)
        services.comment_remove(comment=comment, user=request.user)
    except BylineError as error:
        return _refuse_without_article(request, error, comment_id)
    if wants_json(request):
        return JsonResponse({"ok": True, "id": comment.pk})
    messages.info(request, "Your comment was removed.")
    return redirect(selectors.comment_permalink(comment=comment, user=request.user))


@require_POST
def like(request: HttpRequest, comment_id: int) -> HttpResponse:
    try:
        comment = reactions.visible_comment(comment_id=comment_id)
        liked, count = reactions.comment_like_toggle(comment=comment, user=request.user)
    except BylineError as error:
        return _refuse_without_article(request, error, comment_id)
    if wants_json(request):
        return JsonResponse({"ok": True, "liked": liked, "count": count})
    return redirect(selectors.comment_permalink(comment=comment, user=request.user))


@require_safe
def reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The reply form on a page of its own, with the comment it answers: where "Reply" leads without
    JavaScript (with it, comments.js opens the form under the comment)."""
    comment = _comment_for_page(request, comment_id)
    if isinstance(comment, HttpResponse):
        return comment
    return _reply_page(request, comment)


@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    """GET: the report form on a page of its own (where "Report" leads without JavaScript); POST: report."""
    if request.method != "POST":
        return _report_page(request, comment_id)
    try:
        comment = reactions.visible_comment(comment_id=comment_id)
        reactions.comment_report(
            comment=comment,
            user=request.user,
            reason=request.POST.get("reason", ""),
            text=request.POST.get("text", ""),
        )
    except BylineError as error:
        return _refuse_without_article(request, error, comment_id)
    message = "Thank you. The moderators will look at this comment."
    if wants_json(request):
        return JsonResponse({"ok": True, "message": message})
    messages.success(request, message)
    return redirect(selectors.comment_permalink(comment=comment, user=request.user))


def _comment_for_page(request: HttpRequest, comment_id: int, *, verified: bool = False):
    """The public comment a reply or report page is about, or the answer instead: not found, sign in first,
    or (with `verified`) confirm your address first."""
    try:
        comment = reactions.visible_comment(comment_id=comment_id)
        if not comment.article.is_live:
            raise Http404("No such comment")
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if verified:
            reactions.require_reader(request.user)
    except BylineError as error:
        return _refuse_without_article(request, error, comment_id)
    return comment


def _report_page(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_for_page(request, comment_id, verified=True)
    if isinstance(comment, HttpResponse):
        return comment
    context = {
        "comment": comment,
        "comments": selectors.reader_section(article=comment.article, user=request.user),
        "back": selectors.comment_permalink(comment=comment, user=request.user),
    }
    return render(request, "comments/report.html", context)


def _refuse_without_article(request: HttpRequest, error: BylineError, comment_id: int) -> HttpResponse:
    """An action on a comment failed: show the reason on its article's page (or a plain error page)."""
    comment = Comment.objects.select_related("article__section").filter(pk=comment_id).first()
    if comment is None or not comment.article.is_live:
        if wants_json(request):
            return JsonResponse(
                {"ok": False, "error": error.message, "code": error.code}, status=error.status
            )
        return render(request, "comments/error.html", {"error": error}, status=error.status)
    return _error_response(request, article=comment.article, error=error)


@require_safe
def permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = Comment.objects.select_related("article__section", "thread_root").filter(pk=comment_id).first()
    if comment is None or not comment.article.is_live:
        raise Http404("No such comment")
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    return redirect(selectors.comment_permalink(comment=comment, user=request.user, sort=sort))


@require_safe
def profile(request: HttpRequest, user_id: int) -> HttpResponse:
    from byline.accounts.models import User

    reader = get_object_or_404(User, pk=user_id, is_active=True)
    page = selectors.reader_public_comments(user=reader, page_number=request.GET.get("page"))
    return render(request, "comments/profile.html", {"reader": reader, "page_obj": page})


@csrf_exempt  # the signed token is the credential; mail clients POST here without a session (RFC 8058)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    from byline.accounts.services import user_set_notify_replies

    reader = user_for_unsubscribe_token(token)
    if reader is None:
        return render(request, "comments/unsubscribe.html", {"invalid": True}, status=400)
    wants = request.method == "POST" and request.POST.get("resubscribe") == "1"
    if request.method in ("GET", "POST"):  # not HEAD: link checkers probe with it
        user_set_notify_replies(user=reader, notify=wants)
    return render(
        request, "comments/unsubscribe.html", {"reader": reader, "token": token, "subscribed": wants}
    )
