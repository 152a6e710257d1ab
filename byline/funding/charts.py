"""Geometry for the 12-month chart, drawn as server-rendered SVG by `funding/_chart.svg` (no script)."""

from dataclasses import dataclass

from byline.funding.money import format_money
from byline.funding.selectors import MonthRow

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 8, 12, 36


@dataclass(frozen=True)
class Bar:
    x: int
    width: int
    one_off_y: int
    one_off_height: int
    monthly_y: int
    monthly_height: int
    label: str
    label_x: int
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    gridlines: list[tuple[int, str]]  # (y, label)
    baseline: int
    left: int
    right: int


def _nice_ceiling(value: int) -> int:
    """A round top for the axis (1, 2 or 5 times a power of ten) at or above `value`."""
    if value <= 0:
        return 100
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def monthly_chart(rows: list[MonthRow]) -> Chart:
    top_value = _nice_ceiling(max((r.one_off + r.monthly for r in rows), default=0))
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) // max(len(rows), 1)
    bar_width = max(4, slot * 6 // 10)

    def scaled(amount: int) -> int:
        return round(amount * plot_height / top_value)

    bars = []
    for index, row in enumerate(rows):
        x = LEFT + index * slot + (slot - bar_width) // 2
        one_off_height = scaled(row.one_off)
        monthly_height = scaled(row.monthly)
        currency = row.currency
        title = (
            f"{row.month:%B %Y}: {format_money(row.one_off, currency)} one-off, "
            f"{format_money(row.monthly, currency)} monthly, {format_money(row.refunded, currency)} refunded"
        )
        bars.append(
            Bar(
                x=x,
                width=bar_width,
                one_off_y=baseline - one_off_height,
                one_off_height=one_off_height,
                monthly_y=baseline - one_off_height - monthly_height,
                monthly_height=monthly_height,
                label=f"{row.month:%b}",
                label_x=x + bar_width // 2,
                title=title,
            )
        )
    currency = rows[0].currency if rows else "CAD"
    gridlines = [
        (baseline - scaled(top_value * i // 4), format_money(top_value * i // 4, currency)) for i in range(5)
    ]
    return Chart(WIDTH, HEIGHT, bars, gridlines, baseline, LEFT, WIDTH - RIGHT)
