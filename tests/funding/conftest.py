"""Fixtures for the funding tests: Stripe settings, signed webhook deliveries and event payloads.

Webhook payloads are signed exactly as Stripe signs them (HMAC-SHA256 of "<timestamp>.<payload>" with the
endpoint's secret), so the real `stripe.Webhook.construct_event` verifies them; no network is involved.
"""

import hashlib
import hmac
import itertools
import json
import time

import pytest
from django.urls import reverse

WEBHOOK_SECRET = "whsec_test_byline_funding_secret"
_ids = itertools.count(1)


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_type: str, obj: dict, *, event_id: str | None = None, created: int | None = None) -> dict:
    return {
        "id": event_id or f"evt_test_{next(_ids)}",
        "object": "event",
        "type": event_type,
        "created": created or int(time.time()),
        "livemode": False,
        "data": {"object": obj},
    }


def metadata(journalist=None, article=None, *, message: str = "", anonymous: bool = False) -> dict:
    return {
        "byline_support": "1",
        "journalist_id": str(journalist.pk) if journalist else "",
        "journalist": journalist.slug if journalist else "",
        "article_id": str(article.pk) if article else "",
        "message": message,
        "anonymous": "true" if anonymous else "false",
    }


def one_off_session(journalist=None, article=None, *, amount=2500, currency="cad", pi=None, **meta) -> dict:
    n = next(_ids)
    return {
        "id": f"cs_test_{n}",
        "object": "checkout.session",
        "mode": "payment",
        "payment_status": "paid",
        "amount_total": amount,
        "currency": currency,
        "payment_intent": pi or f"pi_test_{n}",
        "customer": None,
        "customer_details": {"email": "ada@example.org", "name": "Ada Reader"},
        "metadata": metadata(journalist, article, **meta),
    }


def subscription_session(
    journalist=None, *, amount=1000, sub="sub_test_1", invoice="in_test_1", **meta
) -> dict:
    n = next(_ids)
    return {
        "id": f"cs_test_{n}",
        "object": "checkout.session",
        "mode": "subscription",
        "payment_status": "paid",
        "amount_total": amount,
        "currency": "cad",
        "subscription": sub,
        "invoice": invoice,
        "customer": "cus_test_1",
        "customer_details": {"email": "grace@example.org", "name": "Grace Monthly"},
        "metadata": metadata(journalist, **meta),
    }


def invoice(
    journalist=None, *, amount=1000, sub="sub_test_1", invoice_id="in_test_1", pi=None, new_shape=False
):
    data = {
        "id": invoice_id,
        "object": "invoice",
        "amount_paid": amount,
        "currency": "cad",
        "customer": "cus_test_1",
        "customer_email": "grace@example.org",
        "customer_name": "Grace Monthly",
    }
    details = {"subscription": sub, "metadata": metadata(journalist)}
    if new_shape:  # API versions from 2025 move the subscription under `parent` and drop payment_intent
        data["parent"] = {"type": "subscription_details", "subscription_details": details}
        data["payments"] = {"data": [{"payment": {"type": "payment_intent", "payment_intent": pi}}]}
    else:
        data["subscription"] = sub
        data["subscription_details"] = {"metadata": details["metadata"]}
        data["payment_intent"] = pi
    return data


def charge(*, pi: str, refunded: int, charge_id: str = "ch_test_1", currency="cad", invoice_id=None) -> dict:
    return {
        "id": charge_id,
        "object": "charge",
        "amount_refunded": refunded,
        "currency": currency,
        "payment_intent": pi,
        "invoice": invoice_id,
        "refunded": True,
    }


@pytest.fixture
def stripe_keys(settings):
    settings.BYLINE_STRIPE_SECRET_KEY = "sk_test_byline"
    settings.BYLINE_STRIPE_PUBLISHABLE_KEY = "pk_test_byline"
    settings.BYLINE_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.BYLINE_CURRENCY = "CAD"
    return settings


@pytest.fixture
def deliver(client, stripe_keys):
    """POST an event to the webhook as Stripe would, correctly signed unless told otherwise."""

    def _deliver(evt: dict, *, signature: str | None = "valid", raw: str | None = None):
        payload = raw if raw is not None else json.dumps(evt)
        headers = {}
        if signature == "valid":
            headers["HTTP_STRIPE_SIGNATURE"] = sign(payload)
        elif signature is not None:
            headers["HTTP_STRIPE_SIGNATURE"] = signature
        return client.post(
            reverse("funding:stripe_webhook"), data=payload, content_type="application/json", **headers
        )

    return _deliver
