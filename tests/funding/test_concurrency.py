"""Deliveries at the same moment, each on its own thread and database connection, through the real webhook.

SQLite serialises every writer, so there is no race to test there; these run on PostgreSQL
(`DATABASE_URL=postgres://… pytest tests/funding`), which is where concurrent deliveries can really collide.
"""

import json
import threading

import pytest
from django.db import connection, connections
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from byline.funding.models import Contribution, ProcessedEvent, Refund, Subscription
from tests.factories import JournalistFactory
from tests.funding.conftest import charge, event, invoice, one_off_session, sign, subscription_session

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent deliveries need PostgreSQL (SQLite serialises writers)")


def deliver_together(events: list[dict]) -> list[int]:
    """Send every event at once from its own thread; return the status codes."""
    barrier = threading.Barrier(len(events))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def post(evt: dict) -> None:
        payload = json.dumps(evt)
        try:
            client = Client()
            barrier.wait(timeout=10)
            response = client.post(
                reverse("funding:stripe_webhook"),
                data=payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=sign(payload),
            )
            statuses.append(response.status_code)
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(evt,)) for evt in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return statuses


def total() -> int:
    return Contribution.objects.aggregate(total=Sum("amount"))["total"] or 0


def test_the_same_event_delivered_eight_times_at_once_is_counted_once(stripe_keys):
    journalist = JournalistFactory()
    evt = event("checkout.session.completed", one_off_session(journalist, amount=2500))

    statuses = deliver_together([evt] * 8)

    assert statuses == [200] * 8
    assert Contribution.objects.count() == 1
    assert total() == 2500
    assert ProcessedEvent.objects.count() == 1


def test_checkout_and_invoice_for_the_same_first_payment_at_once_count_it_once(stripe_keys):
    journalist = JournalistFactory()
    together = []
    for _ in range(3):  # each pair is two distinct events describing one payment, sent twice over
        together.append(event("checkout.session.completed", subscription_session(journalist, amount=1000)))
        together.append(event("invoice.paid", invoice(journalist, amount=1000, pi="pi_first")))

    statuses = deliver_together(together)

    assert statuses == [200] * 6
    assert Contribution.objects.count() == 1
    assert total() == 1000
    assert Subscription.objects.count() == 1


def test_many_different_payments_at_once_all_count(stripe_keys):
    journalist = JournalistFactory()
    events = [
        event("checkout.session.completed", one_off_session(journalist, amount=100 * (n + 1)))
        for n in range(10)
    ]

    statuses = deliver_together(events)

    assert statuses == [200] * 10
    assert total() == sum(100 * (n + 1) for n in range(10))


def test_a_refund_racing_its_payment_ends_up_linked_to_it(stripe_keys):
    journalist = JournalistFactory()
    payment = event("checkout.session.completed", one_off_session(journalist, amount=3000, pi="pi_race"))
    refund = event("charge.refunded", charge(pi="pi_race", refunded=3000, charge_id="ch_race"))

    deliver_together([payment, refund, refund])

    assert Refund.objects.get().contribution == Contribution.objects.get()
