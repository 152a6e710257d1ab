"""Figures for the moderation overview: the last 30 days, drawn as server-side SVG (no script needed)."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from byline.comments.models import Comment
from byline.moderation.models import ModerationEvent

DAYS = 30
WIDTH, HEIGHT, PAD = 600, 160, 20


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    maximum: float
    unit: str = ""
    width: int = WIDTH
    height: int = HEIGHT


def _bars(days: list[date], values: dict[date, float]) -> tuple[list[Bar], float]:
    maximum = max(values.values(), default=0) or 1
    step = (WIDTH - 2 * PAD) / len(days)
    bars = []
    for i, day in enumerate(days):
        value = values.get(day, 0)
        height = (HEIGHT - 2 * PAD) * value / maximum
        bars.append(
            Bar(PAD + i * step + 1, HEIGHT - PAD - height, max(step - 2, 1), height, day.isoformat(), value)
        )
    return bars, maximum


def overview(now=None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = [today - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    since = now - timedelta(days=DAYS)
    per_day = dict(
        Comment.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    verdicts: dict[date, Counter] = {}
    policy = ModerationEvent.objects.filter(action=ModerationEvent.Action.POLICY, created_at__gte=since)
    reasons: Counter = Counter()
    for created_at, status_after, details in policy.values_list("created_at", "status_after", "details"):
        verdicts.setdefault(timezone.localdate(created_at), Counter())[status_after] += 1
        for reason in (details or {}).get("reasons", []):
            if reason.get("verdict") != "approve":
                reasons[reason.get("check", "?")] += 1
    held_share = {
        day: round(100 * (c["pending"] + c["rejected"]) / sum(c.values())) for day, c in verdicts.items() if c
    }
    rejected_share = {day: round(100 * c["rejected"] / sum(c.values())) for day, c in verdicts.items() if c}
    waits = [
        (decided - posted).total_seconds() / 60
        for decided, posted in ModerationEvent.objects.filter(
            created_at__gte=since,
            actor__isnull=False,
            action__in=[ModerationEvent.Action.APPROVE, ModerationEvent.Action.REJECT],
            status_before=Comment.Status.PENDING,
            comment__isnull=False,
        ).values_list("created_at", "comment__created_at")
    ]
    charts = []
    for title, values, unit in (
        ("Comments per day", per_day, ""),
        ("Share held or rejected by the checks (%)", held_share, "%"),
        ("Share rejected by the checks (%)", rejected_share, "%"),
    ):
        bars, maximum = _bars(days, values)
        charts.append(Chart(title, bars, maximum, unit))
    top = reasons.most_common(8)
    top_max = max((n for _, n in top), default=1)
    return {
        "charts": charts,
        "reasons_height": 10 * len(top) + 2,
        "top_reasons": [{"code": code, "count": n, "width": round(400 * n / top_max)} for code, n in top],
        "median_minutes": round(statistics.median(waits), 1) if waits else None,
        "decisions": len(waits),
        "first_day": days[0],
        "last_day": days[-1],
    }
