from django import template

from byline.funding.money import format_money

register = template.Library()


@register.filter
def money(amount: int | None, currency: str) -> str:
    """`{{ contribution.amount|money:contribution.currency }}` → `$12.50`."""
    return format_money(int(amount or 0), currency or "CAD")
