"""The newsroom's view of reader funding: editors see everyone's, a journalist sees their own."""

import csv
import re
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from byline.core.errors import PermissionDenied
from byline.core.timefmt import format_stamp
from byline.funding import selectors
from byline.funding.charts import monthly_chart
from byline.funding.money import minor_to_input
from byline.journalists.models import Journalist

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def scoped(view):
    """Log-in required; the view gets `scope` (None for everyone, else the user's own journalist)."""

    @login_required
    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            scope = selectors.funding_scope(user=request.user)
        except PermissionDenied as error:
            raise DjangoPermissionDenied(error.message) from error
        return view(request, *args, scope=scope, **kwargs)

    return wrapper


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@scoped
def dashboard(request: HttpRequest, scope) -> HttpResponse:
    everyone = scope is selectors.ALL
    if everyone and request.GET.get("journalist"):  # an editor looking at one journalist
        scope = get_object_or_404(Journalist, slug=request.GET["journalist"])
    series = selectors.monthly_series(scope=scope)
    context = {
        "scope": scope,
        "may_see_everyone": everyone,
        "totals": selectors.totals_by_journalist(scope=scope),
        "articles": selectors.totals_by_article(scope=scope),
        "series": series,
        "chart": monthly_chart(series),
        "unlinked_refunds": selectors.unlinked_refunds() if scope is selectors.ALL else [],
    }
    return _private(render(request, "funding/newsroom.html", context))


@scoped
def payouts(request: HttpRequest, scope) -> HttpResponse:
    rows = selectors.payout_report(scope=scope)
    if request.GET.get("format") == "csv":
        return _csv(
            "byline-payouts.csv",
            ["month", "journalist", "currency", "gross", "refunded", "net"],
            (
                [
                    f"{r.month:%Y-%m}",
                    r.journalist,
                    r.currency,
                    minor_to_input(r.gross, r.currency),
                    minor_to_input(r.refunded, r.currency),
                    minor_to_input(r.net, r.currency),
                ]
                for r in rows
            ),
        )
    return _private(render(request, "funding/payouts.html", {"scope": scope, "rows": rows}))


@scoped
def export_csv(request: HttpRequest, scope) -> HttpResponse:
    """Every payment in scope, one row each, amounts in major units with the currency beside them."""
    header = [
        "paid_at",
        "journalist",
        "article",
        "kind",
        "amount",
        "refunded",
        "currency",
        "supporter",
        "stripe_ref",
    ]
    rows = (
        [
            format_stamp(c.paid_at),
            c.journalist.name if c.journalist else "The newsroom",
            c.article.headline if c.article else "",
            c.get_kind_display(),
            minor_to_input(c.amount, c.currency),
            minor_to_input(c.refunded or 0, c.currency),
            c.currency,
            "" if c.is_anonymous else c.supporter_name,
            c.stripe_invoice or c.stripe_payment_intent or "",
        ]
        for c in selectors.contributions_for_export(scope=scope).iterator()
    )
    return _csv(f"byline-contributions-{timezone.localdate():%Y-%m-%d}.csv", header, rows)


def _csv(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        # Cells that a spreadsheet would run as a formula are quoted with a leading apostrophe.
        writer.writerow(
            [
                f"'{cell}"
                if isinstance(cell, str) and cell[:1] in "=+-@" and not _NUMBER.match(cell)
                else cell
                for cell in row
            ]
        )
    return _private(response)
