"""The payment gateway: Stripe, through the official library, configured per call from BYLINE_* settings.

Nothing here touches the library's global state: each call builds a `StripeClient` with the current key and,
if `BYLINE_STRIPE_API_BASE` is set, another API address (tests point it at a local stand-in server).
"""

import json
import logging
from dataclasses import dataclass
from typing import Any

import stripe

from byline.core.conf import byline_setting
from byline.core.errors import InvalidInput, ServiceUnavailable

logger = logging.getLogger("byline.funding")

NOT_SET_UP = "Online support is not set up yet. Please come back soon."
UNREACHABLE = "We could not reach our payment provider. Nothing was charged; please try again in a minute."


@dataclass(frozen=True)
class CheckoutRequest:
    mode: str  # "payment" (one-off) or "subscription" (monthly)
    amount: int
    currency: str
    product_name: str
    metadata: dict[str, str]
    success_url: str
    cancel_url: str


def payments_configured() -> bool:
    """True when readers can pay online: a secret key, a publishable key and a webhook secret are all set."""
    return all(
        byline_setting(name)
        for name in (
            "BYLINE_STRIPE_SECRET_KEY",
            "BYLINE_STRIPE_PUBLISHABLE_KEY",
            "BYLINE_STRIPE_WEBHOOK_SECRET",
        )
    )


def _client() -> stripe.StripeClient:
    if not payments_configured():
        raise ServiceUnavailable(NOT_SET_UP, code="payments_not_configured")
    options: dict[str, Any] = {"max_network_retries": 1}
    api_base = byline_setting("BYLINE_STRIPE_API_BASE")
    if api_base:
        options["base_addresses"] = {"api": api_base.rstrip("/")}
    return stripe.StripeClient(byline_setting("BYLINE_STRIPE_SECRET_KEY"), **options)


def checkout_session_create(request: CheckoutRequest) -> str:
    """Create a Stripe Checkout session and return the address to send the reader to."""
    price_data: dict[str, Any] = {
        "currency": request.currency.lower(),
        "unit_amount": request.amount,
        "product_data": {"name": request.product_name},
    }
    params: dict[str, Any] = {
        "mode": request.mode,
        "line_items": [{"price_data": price_data, "quantity": 1}],
        "metadata": request.metadata,
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
    }
    if request.mode == "subscription":
        price_data["recurring"] = {"interval": "month"}
        # Copied onto the subscription, so every renewal invoice carries the attribution too.
        params["subscription_data"] = {"metadata": request.metadata}
    else:
        params["submit_type"] = "donate"
        params["payment_intent_data"] = {"metadata": request.metadata}
    try:
        session = _client().v1.checkout.sessions.create(params)
    except stripe.StripeError as error:
        logger.warning("Stripe refused a checkout session: %s", error)
        raise ServiceUnavailable(UNREACHABLE, code="payments_unreachable") from error
    return session.url


def portal_session_create(*, customer: str, return_url: str) -> str:
    """A Stripe customer-portal address where a monthly supporter changes or cancels their contribution."""
    try:
        session = _client().v1.billing_portal.sessions.create(
            {"customer": customer, "return_url": return_url}
        )
    except stripe.StripeError as error:
        logger.warning("Stripe refused a customer portal session: %s", error)
        raise ServiceUnavailable(UNREACHABLE, code="payments_unreachable") from error
    return session.url


def webhook_event_verify(*, payload: bytes, signature: str | None) -> dict[str, Any]:
    """Check the Stripe-Signature header against the webhook secret and return the event as plain data."""
    secret = byline_setting("BYLINE_STRIPE_WEBHOOK_SECRET")
    if not secret:
        raise ServiceUnavailable(
            "The Stripe webhook secret is not configured.", code="webhook_not_configured"
        )
    if not signature:
        raise InvalidInput("Missing Stripe-Signature header.", code="bad_signature")
    try:
        stripe.Webhook.construct_event(payload, signature, secret)
    except stripe.SignatureVerificationError as error:
        raise InvalidInput("The Stripe signature does not match.", code="bad_signature") from error
    except ValueError as error:
        raise InvalidInput("The webhook payload is not valid JSON.", code="bad_payload") from error
    event = json.loads(payload)
    if not isinstance(event, dict) or not event.get("id") or not isinstance(event.get("data"), dict):
        raise InvalidInput("The webhook payload is not a Stripe event.", code="bad_payload")
    return event
