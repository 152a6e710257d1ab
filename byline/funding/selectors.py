"""Reads for reader funding: support pages and goal meters for readers, totals and reports for the newsroom.

Months are calendar months in the site's time zone. A refund counts in the month it was made (that is when
the money left), against the journalist of the payment it refunds.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from byline.core.conf import byline_setting
from byline.core.errors import PermissionDenied
from byline.funding.models import Contribution, Kind, Refund, Subscription, SupportPage
from byline.funding.money import format_money
from byline.journalists.models import Journalist

ALL = None  # scope: every journalist and the newsroom


def support_page_get(*, journalist: Journalist | None) -> SupportPage | None:
    return SupportPage.objects.filter(journalist=journalist).first()


def month_start(moment: datetime | None = None) -> datetime:
    local = timezone.localtime(moment or timezone.now(), timezone.get_default_timezone())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def last_months(count: int = 12) -> list[date]:
    """The first days of the last `count` months, oldest first, this month last."""
    current = month_start().date()
    months = []
    year, month = current.year, current.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@dataclass(frozen=True)
class GoalProgress:
    raised: int
    goal: int | None
    supporters: int
    currency: str

    @property
    def percent(self) -> int:
        return min(100, self.raised * 100 // self.goal) if self.goal else 0

    @property
    def summary(self) -> str:
        raised = format_money(self.raised, self.currency)
        people = f"{self.supporters} supporter{'s' if self.supporters != 1 else ''}"
        if self.goal:
            return f"{raised} of {format_money(self.goal, self.currency)} this month · {people}"
        return f"{raised} this month · {people}"


def goal_progress(*, journalist: Journalist | None, goal: int | None) -> GoalProgress:
    """This month's money for the journalist (or the newsroom fund), net of this month's refunds."""
    currency = byline_setting("BYLINE_CURRENCY").upper()
    since = month_start()
    payments = Contribution.objects.filter(journalist=journalist, currency=currency, paid_at__gte=since)
    totals = payments.aggregate(
        gross=Sum("amount"),
        named=Count("supporter_email", distinct=True, filter=~Q(supporter_email="")),
        unnamed=Count("id", filter=Q(supporter_email="")),
    )
    refunded = (
        Refund.objects.filter(
            contribution__journalist=journalist, currency=currency, refunded_at__gte=since
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    raised = max(0, (totals["gross"] or 0) - refunded)
    return GoalProgress(raised, goal, totals["named"] + totals["unnamed"], currency)


def public_messages(*, journalist: Journalist | None, limit: int = 5) -> list[Contribution]:
    return list(
        Contribution.objects.filter(journalist=journalist, message_hidden=False)
        .exclude(public_message="")
        .only("public_message", "supporter_name", "is_anonymous", "paid_at")[:limit]
    )


def subscription_for_checkout(*, session_id: str) -> Subscription | None:
    if not session_id:
        return None
    return Subscription.objects.filter(stripe_checkout_session=session_id).exclude(stripe_customer="").first()


def funding_scope(*, user) -> Journalist | None:
    """Whose money a user may see: everyone's (editors) or their own (a journalist's linked account)."""
    if user.is_authenticated and user.is_active and user.has_perm("funding.view_contribution"):
        return ALL
    journalist = getattr(user, "journalist", None) if user.is_authenticated and user.is_active else None
    if journalist is None:
        raise PermissionDenied("Only editors and journalists with an account can see contributions.")
    return journalist


def _payments(scope: Journalist | None) -> QuerySet[Contribution]:
    qs = Contribution.objects.all()
    return qs if scope is ALL else qs.filter(journalist=scope)


def _refunds(scope: Journalist | None) -> QuerySet[Refund]:
    qs = Refund.objects.filter(contribution__isnull=False)
    return qs if scope is ALL else qs.filter(contribution__journalist=scope)


@dataclass
class Totals:
    label: str
    currency: str
    one_off: int = 0
    monthly: int = 0
    refunded: int = 0
    payments: int = 0
    active_monthly: int = 0
    slug: str = ""  # empty for the newsroom fund

    @property
    def gross(self) -> int:
        return self.one_off + self.monthly

    @property
    def net(self) -> int:
        return self.gross - self.refunded


def totals_by_journalist(*, scope: Journalist | None) -> list[Totals]:
    rows: dict[tuple, Totals] = {}
    people = Journalist.objects.all() if scope is ALL else [scope]
    names = {j.pk: (j.name, j.slug) for j in people}

    def row(journalist_id, currency) -> Totals:
        key = (journalist_id, currency)
        if key not in rows:
            name, slug = names.get(journalist_id, ("The newsroom", ""))
            rows[key] = Totals(name, currency, slug=slug)
        return rows[key]

    for item in (
        _payments(scope).values("journalist", "currency", "kind").annotate(total=Sum("amount"), n=Count("id"))
    ):
        target = row(item["journalist"], item["currency"])
        setattr(target, "monthly" if item["kind"] == Kind.MONTHLY else "one_off", item["total"])
        target.payments += item["n"]
    for item in _refunds(scope).values("contribution__journalist", "currency").annotate(total=Sum("amount")):
        row(item["contribution__journalist"], item["currency"]).refunded += item["total"]
    subs = Subscription.objects.filter(status=Subscription.Status.ACTIVE)
    if scope is not ALL:
        subs = subs.filter(journalist=scope)
    for item in subs.values("journalist", "currency").annotate(n=Count("id")):
        row(item["journalist"], item["currency"]).active_monthly += item["n"]
    return sorted(rows.values(), key=lambda t: (-t.net, t.label))


def totals_by_article(*, scope: Journalist | None, limit: int = 50) -> list[dict]:
    """Money attributed to the article a reader came from, most first."""
    items = (
        _payments(scope)
        .filter(article__isnull=False)
        .values("article", "article__headline", "currency")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by("-total")[:limit]
    )
    return [
        {
            "headline": i["article__headline"],
            "currency": i["currency"],
            "total": i["total"],
            "payments": i["n"],
        }
        for i in items
    ]


@dataclass
class MonthRow:
    month: date
    currency: str
    one_off: int = 0
    monthly: int = 0
    refunded: int = 0
    by_journalist: dict = field(default_factory=dict)

    @property
    def net(self) -> int:
        return self.one_off + self.monthly - self.refunded


def monthly_series(*, scope: Journalist | None, months: int = 12) -> list[MonthRow]:
    """The last `months` months in the site currency, oldest first, with empty months included."""
    currency = byline_setting("BYLINE_CURRENCY").upper()
    window = last_months(months)
    since = timezone.make_aware(datetime.combine(window[0], datetime.min.time()))
    rows = {m: MonthRow(m, currency) for m in window}
    tz = timezone.get_default_timezone()
    payments = (
        _payments(scope)
        .filter(currency=currency, paid_at__gte=since)
        .annotate(month=TruncMonth("paid_at", tzinfo=tz))
        .values("month", "kind")
        .annotate(total=Sum("amount"))
    )
    for item in payments:
        target = rows.get(_as_date(item["month"]))
        if target:
            setattr(target, "monthly" if item["kind"] == Kind.MONTHLY else "one_off", item["total"])
    refunds = (
        _refunds(scope)
        .filter(currency=currency, refunded_at__gte=since)
        .annotate(month=TruncMonth("refunded_at", tzinfo=tz))
        .values("month")
        .annotate(total=Sum("amount"))
    )
    for item in refunds:
        target = rows.get(_as_date(item["month"]))
        if target:
            target.refunded = item["total"]
    return list(rows.values())


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass
class PayoutRow:
    month: date
    journalist: str
    currency: str
    gross: int = 0
    refunded: int = 0

    @property
    def net(self) -> int:
        return self.gross - self.refunded


def payout_report(*, scope: Journalist | None, months: int = 12) -> list[PayoutRow]:
    """What each journalist (and the newsroom fund) earned per month, net of that month's refunds."""
    window = last_months(months)
    since = timezone.make_aware(datetime.combine(window[0], datetime.min.time()))
    tz = timezone.get_default_timezone()
    rows: dict[tuple, PayoutRow] = {}

    def row(month, name, currency) -> PayoutRow:
        key = (_as_date(month), name or "The newsroom", currency)
        if key not in rows:
            rows[key] = PayoutRow(*key)
        return rows[key]

    payments = (
        _payments(scope)
        .filter(paid_at__gte=since)
        .annotate(month=TruncMonth("paid_at", tzinfo=tz))
        .values("month", "journalist__name", "currency")
        .annotate(total=Sum("amount"))
    )
    for item in payments:
        row(item["month"], item["journalist__name"], item["currency"]).gross += item["total"]
    refunds = (
        _refunds(scope)
        .filter(refunded_at__gte=since)
        .annotate(month=TruncMonth("refunded_at", tzinfo=tz))
        .values("month", "contribution__journalist__name", "currency")
        .annotate(total=Sum("amount"))
    )
    for item in refunds:
        row(item["month"], item["contribution__journalist__name"], item["currency"]).refunded += item["total"]
    return sorted(rows.values(), key=lambda r: (r.month, r.journalist, r.currency), reverse=False)


def unlinked_refunds(limit: int = 100) -> list[Refund]:
    """Refunds for charges we never recorded: shown to editors so nothing is silently lost."""
    return list(Refund.objects.filter(contribution__isnull=True)[:limit])


def contributions_for_export(*, scope: Journalist | None) -> QuerySet[Contribution]:
    return (
        _payments(scope)
        .select_related("journalist", "article")
        .annotate(refunded=Sum("refunds__amount"))
        .order_by("paid_at", "id")
    )
