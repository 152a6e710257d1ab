"""Writes and outside calls for reader funding: starting a checkout, opening the customer portal.

Ledger writes (from Stripe's webhooks) live in `ledger.py`.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.urls import reverse

from byline.core.conf import byline_setting
from byline.core.errors import InvalidInput, NotFound
from byline.funding import gateway
from byline.funding.ledger import MARKER
from byline.funding.models import Subscription
from byline.funding.money import format_money
from byline.journalists.models import Journalist
from byline.newsroom.models import Article

MANAGE_SALT = "byline.funding.manage"


class Frequency:
    ONCE = "once"
    MONTHLY = "monthly"
    CHOICES = [(ONCE, "Once"), (MONTHLY, "Monthly")]


@dataclass(frozen=True)
class SupportChoice:
    """What the reader asked for on the form, already parsed into minor units."""

    amount: int
    currency: str
    frequency: str
    message: str = ""
    anonymous: bool = False


def support_limits() -> tuple[int, int]:
    return int(byline_setting("BYLINE_SUPPORT_MIN")), int(byline_setting("BYLINE_SUPPORT_MAX"))


def support_choice_validate(*, choice: SupportChoice) -> None:
    """Raise InvalidInput (with the form field) if the choice cannot be charged."""
    currency = byline_setting("BYLINE_CURRENCY").upper()
    if choice.currency.upper() != currency:
        raise InvalidInput(
            f"We can only take contributions in {currency}; “{choice.currency}” is not accepted here.",
            field="currency",
        )
    low, high = support_limits()
    if choice.amount < low:
        raise InvalidInput(f"The smallest contribution is {format_money(low, currency)}.", field="amount")
    if choice.amount > high:
        raise InvalidInput(
            f"The largest contribution we take online is {format_money(high, currency)}.", field="amount"
        )
    if choice.frequency not in {Frequency.ONCE, Frequency.MONTHLY}:
        raise InvalidInput("Choose once or monthly.", field="frequency")


def checkout_start(
    *,
    journalist: Journalist | None,
    article: Article | None,
    choice: SupportChoice,
    success_url: str,
    cancel_url: str,
) -> str:
    """Validate the choice and create a Stripe Checkout session; return the address to send the reader to."""
    support_choice_validate(choice=choice)
    site_name = byline_setting("BYLINE_SITE_NAME")
    if journalist is not None:
        product = f"Support for {journalist.name}'s journalism ({site_name})"
    else:
        product = f"Support for {site_name}"
    if choice.frequency == Frequency.MONTHLY:
        product = f"Monthly {product[0].lower()}{product[1:]}"
    metadata = {
        MARKER: "1",
        "journalist_id": str(journalist.pk) if journalist else "",
        "journalist": journalist.slug if journalist else "",
        "article_id": str(article.pk) if article else "",
        "anonymous": "true" if choice.anonymous else "false",
        "message": choice.message[:280],
    }
    return gateway.checkout_session_create(
        gateway.CheckoutRequest(
            mode="subscription" if choice.frequency == Frequency.MONTHLY else "payment",
            amount=choice.amount,
            currency=choice.currency.upper(),
            product_name=product,
            metadata=metadata,
            success_url=success_url,
            cancel_url=cancel_url,
        )
    )


def manage_token_make(*, subscription: Subscription) -> str:
    return signing.dumps({"subscription": subscription.pk}, salt=MANAGE_SALT, compress=True)


def manage_url_for(*, subscription: Subscription) -> str:
    path = reverse("funding:manage", kwargs={"token": manage_token_make(subscription=subscription)})
    return byline_setting("BYLINE_SITE_URL").rstrip("/") + path


def manage_token_check(*, token: str) -> Subscription:
    """The subscription a manage link is for; expired or altered links are refused."""
    max_age = timedelta(days=int(byline_setting("BYLINE_SUPPORT_MANAGE_LINK_DAYS")))
    try:
        data = signing.loads(token, salt=MANAGE_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvalidInput(
            "This link has expired. Use the link in your latest receipt, or write to us and we will help."
        ) from None
    except signing.BadSignature:
        raise NotFound("This link is not valid.") from None
    subscription = Subscription.objects.filter(pk=data.get("subscription")).first()
    if subscription is None or not subscription.stripe_customer:
        raise NotFound("We could not find that monthly contribution.")
    return subscription


def portal_start(*, token: str, return_url: str) -> str:
    """Open Stripe's customer portal for the subscription a manage link names."""
    subscription = manage_token_check(token=token)
    return gateway.portal_session_create(customer=subscription.stripe_customer, return_url=return_url)
