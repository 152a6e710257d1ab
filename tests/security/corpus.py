"""The hostile-input corpus and the oracle that judges pages rendered from it.

A page is judged against a baseline: the same page rendered with harmless text in place of the payloads.
Whatever `tests.htmlcheck.executable_parts` finds in the payload page that the baseline does not have
(a new tag, event handler, inline style or script URL) came from the payload and fails the test. The
page's own <script src>, forms and JSON-LD are in both, so they cancel out.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections import Counter
from pathlib import Path

from tests.htmlcheck import executable_parts

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")


def payloads() -> list[str]:
    lines = PAYLOAD_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()]


def new_executable_parts(html: str, baseline_html: str) -> list[str]:
    """What could run in `html` that does not also appear in `baseline_html`."""
    extra = Counter(executable_parts(html)) - Counter(executable_parts(baseline_html))
    return sorted(extra.elements())


def webhook_delivery(*, secret: str, message: str, journalist_id: int | None, number: int) -> tuple[str, str]:
    """A Stripe `checkout.session.completed` event carrying a supporter's public message, and its signature
    made the way Stripe makes it (HMAC-SHA256 of "<timestamp>.<payload>")."""
    session = {
        "id": f"cs_test_xss_{number}",
        "object": "checkout.session",
        "mode": "payment",
        "payment_status": "paid",
        "amount_total": 1500,
        "currency": "cad",
        "payment_intent": f"pi_test_xss_{number}",
        "customer": None,
        "customer_details": {"email": f"giver{number}@example.org", "name": message[:200]},
        "metadata": {
            "byline_support": "1",
            "journalist_id": str(journalist_id) if journalist_id else "",
            "article_id": "",
            "message": message,
            "anonymous": "false",
        },
    }
    event = {
        "id": f"evt_test_xss_{number}",
        "object": "event",
        "type": "checkout.session.completed",
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": session},
    }
    payload = json.dumps(event)
    timestamp = int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return payload, f"t={timestamp},v1={digest}"
