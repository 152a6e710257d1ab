"""Support pages, checkout, thank-you and manage pages, and Stripe's webhook. Views parse, call, render."""

import logging
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from byline.core.errors import BylineError, InvalidInput, NotFound, ServiceUnavailable
from byline.core.throttle import hit, network_key
from byline.funding import gateway, selectors, services
from byline.funding.forms import SupportForm
from byline.funding.ledger import webhook_event_record
from byline.funding.money import format_money
from byline.journalists.models import Journalist
from byline.journalists.selectors import journalist_get
from byline.newsroom.models import Article

logger = logging.getLogger("byline.funding")


@require_http_methods(["GET", "HEAD", "POST"])
def support_newsroom(request: HttpRequest) -> HttpResponse:
    return _support(request, journalist=None)


@require_http_methods(["GET", "HEAD", "POST"])
def support_journalist(request: HttpRequest, slug: str) -> HttpResponse:
    journalist = journalist_get(slug=slug)
    return _support(request, journalist=journalist)


def _article_from(value: str | None) -> Article | None:
    """The live article the reader came from (?from=<pk>), or None: attribution never trusts a draft."""
    if not value or not str(value).isdigit():
        return None
    return Article.objects.live().filter(pk=int(value)).first()


def _support_url(request: HttpRequest, journalist: Journalist | None, article: Article | None) -> str:
    if journalist is None:
        path = reverse("funding:support_newsroom")
    else:
        path = reverse("funding:support_journalist", kwargs={"slug": journalist.slug})
    return request.build_absolute_uri(path + (f"?from={article.pk}" if article else ""))


@dataclass
class _Attempt:
    """How a support-form POST ended, when it did not end at Stripe."""

    status: int = 200
    problem: str = ""
    retry_after: int | None = None


def _support(request: HttpRequest, *, journalist: Journalist | None) -> HttpResponse:
    open_for_support = journalist is None or journalist.accepts_support
    configured = gateway.payments_configured()
    attempt = _Attempt()
    if request.method == "POST":
        article = _article_from(request.POST.get("article"))
        form = SupportForm(request.POST)
        if not open_for_support:
            attempt.status = 403  # the page explains and points to the newsroom instead
        elif not configured:
            attempt = _Attempt(503, gateway.NOT_SET_UP)
        else:
            result = _checkout(request, form, journalist=journalist, article=article)
            if isinstance(result, HttpResponse):
                return result
            attempt = result
    else:
        article = _article_from(request.GET.get("from"))
        form = SupportForm(initial={"article": article.pk if article else None})
    page = selectors.support_page_get(journalist=journalist)
    goal = page.monthly_goal if page else None
    low, high = services.support_limits()
    context = {
        "journalist": journalist,
        "article": article,
        "page": page,
        "form": form,
        "configured": configured,
        "open_for_support": open_for_support,
        "problem": attempt.problem,
        "progress": selectors.goal_progress(journalist=journalist, goal=goal) if goal else None,
        "messages_from_supporters": selectors.public_messages(journalist=journalist),
        "min_amount": format_money(low, form.site_currency),
        "max_amount": format_money(high, form.site_currency),
    }
    response = render(request, "funding/support.html", context, status=attempt.status)
    if attempt.retry_after:
        response["Retry-After"] = str(attempt.retry_after)
    return response


def _checkout(
    request: HttpRequest, form: SupportForm, *, journalist: Journalist | None, article: Article | None
) -> HttpResponse | _Attempt:
    """Send the reader to Stripe (a 303), or say why not."""
    if not form.is_valid():
        return _Attempt(400)
    wait = _checkout_wait(request)
    if wait:
        minutes = wait // 60 + 1
        return _Attempt(
            429, f"Too many payment attempts from your network. Try again in {minutes} minutes.", wait
        )
    thanks = request.build_absolute_uri(reverse("funding:thanks")) + "?session_id={CHECKOUT_SESSION_ID}"
    try:
        url = services.checkout_start(
            journalist=journalist,
            article=article,
            choice=form.cleaned_data["choice"],
            success_url=thanks,
            cancel_url=_support_url(request, journalist, article),
        )
    except InvalidInput as error:
        form.add_error(None, error.message)
        return _Attempt(400)
    except ServiceUnavailable as error:
        return _Attempt(error.status, error.message)
    return HttpResponseRedirect(url, status=303)


def _checkout_wait(request: HttpRequest) -> int | None:
    """Count a checkout attempt; the seconds this network must wait if it is over the limit, else None."""
    return hit(f"funding:checkout:{network_key(request)}", "BYLINE_SUPPORT_CHECKOUTS_PER_HOUR", 3600)


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    subscription = selectors.subscription_for_checkout(session_id=request.GET.get("session_id", "")[:255])
    manage_url = ""
    if subscription is not None:
        manage_url = reverse(
            "funding:manage", kwargs={"token": services.manage_token_make(subscription=subscription)}
        )
    response = render(request, "funding/thanks.html", {"manage_url": manage_url})
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Shows a button on GET (link previewers must not open portals); the POST opens Stripe's portal."""
    try:
        subscription = services.manage_token_check(token=token)
        if request.method == "POST":
            return_url = request.build_absolute_uri(reverse("funding:support_newsroom"))
            return HttpResponseRedirect(services.portal_start(token=token, return_url=return_url), status=303)
    except NotFound as error:
        raise Http404(error.message) from error
    except BylineError as error:
        response = render(request, "funding/manage.html", {"problem": error.message}, status=error.status)
    else:
        response = render(request, "funding/manage.html", {"subscription": subscription})
    response["Referrer-Policy"] = "no-referrer"
    return response


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's webhook. Nothing is recorded unless the Stripe-Signature header verifies."""
    try:
        event = gateway.webhook_event_verify(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except BylineError as error:
        logger.warning("Stripe webhook refused: %s", error.message)
        response = JsonResponse({"error": error.code, "message": error.message}, status=error.status)
        if error.status == 400:  # forged or broken calls; Stripe's own always verify
            wait = hit(
                f"funding:webhook:{network_key(request)}", "BYLINE_STRIPE_WEBHOOK_FAILURES_PER_MINUTE", 60
            )
            if wait:
                response = JsonResponse(
                    {"error": "rate_limited", "message": "Too many failed webhook calls."}, status=429
                )
                response["Retry-After"] = str(wait)
        return response
    try:
        outcome = webhook_event_record(event=event)
    except Exception:
        # Nothing was committed; a 500 makes Stripe deliver the event again later.
        logger.exception("Stripe event %s (%s) could not be recorded", event["id"], event.get("type"))
        return JsonResponse(
            {"error": "not_recorded", "message": "Recording failed; retry later."}, status=500
        )
    logger.info("Stripe event %s (%s): %s", event["id"], event.get("type"), outcome)
    return JsonResponse({"received": True, "outcome": outcome})
