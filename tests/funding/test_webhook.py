import json
import logging

import pytest
from django.db.models import Sum

from byline.funding.models import Contribution, Kind, ProcessedEvent, Refund, Subscription
from tests.factories import ArticleFactory, JournalistFactory
from tests.funding.conftest import (
    charge,
    event,
    invoice,
    one_off_session,
    sign,
    subscription_session,
)

pytestmark = pytest.mark.django_db


def ledger_total() -> int:
    return Contribution.objects.aggregate(total=Sum("amount"))["total"] or 0


def test_a_completed_one_off_checkout_records_the_contribution_with_its_attribution(deliver):
    journalist = JournalistFactory()
    article = ArticleFactory(journalists=[journalist])
    session = one_off_session(journalist, article, amount=2500, message="Keep going!")

    response = deliver(event("checkout.session.completed", session))

    assert response.status_code == 200
    contribution = Contribution.objects.get()
    assert contribution.amount == 2500
    assert contribution.currency == "CAD"
    assert contribution.kind == Kind.ONE_OFF
    assert contribution.journalist == journalist
    assert contribution.article == article
    assert contribution.public_message == "Keep going!"
    assert contribution.supporter_email == "ada@example.org"


def test_a_replayed_event_is_counted_once(deliver):
    journalist = JournalistFactory()
    evt = event("checkout.session.completed", one_off_session(journalist, amount=4000))

    for _ in range(3):
        assert deliver(evt).status_code == 200

    assert Contribution.objects.count() == 1
    assert ledger_total() == 4000
    assert ProcessedEvent.objects.filter(stripe_event=evt["id"]).count() == 1


def test_the_same_payment_reported_by_two_different_events_is_counted_once(deliver):
    session = one_off_session(JournalistFactory(), amount=1500, pi="pi_same")

    deliver(event("checkout.session.completed", session))
    deliver(event("checkout.session.completed", session))  # a new event id, same payment

    assert ledger_total() == 1500


def test_a_missing_signature_is_refused_and_records_nothing(deliver):
    response = deliver(event("checkout.session.completed", one_off_session()), signature=None)

    assert response.status_code == 400
    assert not Contribution.objects.exists()
    assert not ProcessedEvent.objects.exists()


def test_a_signature_made_with_another_secret_is_refused_and_records_nothing(deliver):
    evt = event("checkout.session.completed", one_off_session())
    payload = json.dumps(evt)

    response = deliver(evt, raw=payload, signature=sign(payload, secret="whsec_somebody_else"))

    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_payload_changed_after_signing_is_refused(deliver):
    evt = event("checkout.session.completed", one_off_session(amount=500))
    signature = sign(json.dumps(evt))
    evt["data"]["object"]["amount_total"] = 500000

    response = deliver(evt, signature=signature)

    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_an_old_signature_is_refused_as_a_replay(deliver):
    evt = event("checkout.session.completed", one_off_session())
    payload = json.dumps(evt)

    response = deliver(evt, raw=payload, signature=sign(payload, timestamp=1_000_000_000))

    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_without_a_webhook_secret_every_event_is_refused(deliver, settings):
    settings.BYLINE_STRIPE_WEBHOOK_SECRET = ""

    response = deliver(event("checkout.session.completed", one_off_session()))

    assert response.status_code == 503
    assert not Contribution.objects.exists()


def test_the_webhook_takes_only_post(client, stripe_keys):
    assert client.get("/support/stripe/webhook/").status_code == 405


def test_unknown_event_types_are_acknowledged_and_ignored(deliver):
    response = deliver(event("customer.created", {"id": "cus_1", "object": "customer"}))

    assert response.status_code == 200
    assert not Contribution.objects.exists()


def test_checkouts_that_are_not_ours_are_ignored(deliver):
    session = one_off_session()
    session["metadata"] = {}

    assert deliver(event("checkout.session.completed", session)).status_code == 200
    assert not Contribution.objects.exists()


def test_an_unpaid_checkout_records_nothing(deliver):
    session = one_off_session()
    session["payment_status"] = "unpaid"

    deliver(event("checkout.session.completed", session))

    assert not Contribution.objects.exists()


def test_a_subscription_first_payment_from_checkout_and_invoice_is_counted_once(deliver):
    journalist = JournalistFactory()

    deliver(event("checkout.session.completed", subscription_session(journalist, amount=1000)))
    deliver(event("invoice.paid", invoice(journalist, amount=1000, pi="pi_first")))

    contribution = Contribution.objects.get()
    assert contribution.kind == Kind.MONTHLY
    assert contribution.journalist == journalist
    assert contribution.stripe_payment_intent == "pi_first"  # learned from the second event
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.stripe_customer == "cus_test_1"


def test_invoice_before_checkout_completion_still_counts_the_first_payment_once(deliver):
    journalist = JournalistFactory()

    deliver(event("invoice.paid", invoice(journalist, amount=1000)))
    deliver(event("checkout.session.completed", subscription_session(journalist, amount=1000)))

    assert ledger_total() == 1000
    assert Subscription.objects.get().stripe_checkout_session.startswith("cs_test_")


def test_each_monthly_renewal_is_a_new_contribution(deliver):
    journalist = JournalistFactory()
    deliver(event("checkout.session.completed", subscription_session(journalist, amount=1000)))

    deliver(event("invoice.paid", invoice(journalist, invoice_id="in_test_2", new_shape=True)))
    deliver(event("invoice.paid", invoice(journalist, invoice_id="in_test_3")))

    assert Contribution.objects.filter(kind=Kind.MONTHLY, journalist=journalist).count() == 3
    assert ledger_total() == 3000


def test_invoices_of_other_subscriptions_on_the_account_are_ignored(deliver):
    data = invoice()
    data["subscription_details"]["metadata"] = {}

    deliver(event("invoice.paid", data))

    assert not Contribution.objects.exists()


def test_a_refund_is_recorded_against_its_payment(deliver):
    journalist = JournalistFactory()
    deliver(event("checkout.session.completed", one_off_session(journalist, amount=5000, pi="pi_r")))

    deliver(event("charge.refunded", charge(pi="pi_r", refunded=2000)))

    refund = Refund.objects.get()
    assert refund.amount == 2000
    assert refund.contribution.journalist == journalist


def test_refund_events_out_of_order_keep_the_largest_running_total(deliver):
    deliver(event("checkout.session.completed", one_off_session(amount=5000, pi="pi_r")))
    full = event("charge.refunded", charge(pi="pi_r", refunded=5000))
    partial = event("charge.refunded", charge(pi="pi_r", refunded=2000))

    deliver(full)
    deliver(partial)  # arrives late
    deliver(full)  # and a replay

    assert Refund.objects.get().amount == 5000


def test_a_refund_for_a_charge_we_never_saw_is_logged_and_acknowledged(deliver, caplog):
    with caplog.at_level(logging.WARNING, logger="byline.funding"):
        response = deliver(event("charge.refunded", charge(pi="pi_unknown", refunded=700, charge_id="ch_x")))

    assert response.status_code == 200
    assert Refund.objects.get().contribution is None
    assert "never recorded" in caplog.text


def test_a_refund_that_arrives_before_its_payment_is_linked_when_the_payment_comes(
    deliver, django_capture_on_commit_callbacks
):
    deliver(event("charge.refunded", charge(pi="pi_late", refunded=1000)))

    with django_capture_on_commit_callbacks(execute=True):
        deliver(event("checkout.session.completed", one_off_session(amount=3000, pi="pi_late")))

    assert Refund.objects.get().contribution == Contribution.objects.get()


def test_a_cancelled_subscription_is_marked_and_not_revived_by_a_late_checkout_event(deliver):
    journalist = JournalistFactory()
    deleted = {
        "id": "sub_test_1",
        "object": "subscription",
        "customer": "cus_test_1",
        "currency": "cad",
        "status": "canceled",
        "ended_at": 1_760_000_000,
        "metadata": {"byline_support": "1", "journalist_id": str(journalist.pk)},
        "items": {"data": [{"price": {"unit_amount": 1000, "currency": "cad"}}]},
    }

    deliver(event("customer.subscription.deleted", deleted))
    deliver(event("checkout.session.completed", subscription_session(journalist)))

    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.CANCELED
    assert subscription.canceled_at is not None
    assert Contribution.objects.count() == 1  # the payment that was made still counts


def test_a_receipt_is_emailed_after_the_payment_commits(
    deliver, mailoutbox, django_capture_on_commit_callbacks
):
    journalist = JournalistFactory(name="Mira Okafor")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        deliver(event("checkout.session.completed", one_off_session(journalist, amount=2500)))

    assert callbacks
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.org"]
    assert "$25" in mailoutbox[0].body
    assert "Mira Okafor" in mailoutbox[0].subject


def test_a_monthly_receipt_carries_a_link_to_manage_the_contribution(
    deliver, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(event("checkout.session.completed", subscription_session(JournalistFactory())))

    assert "/support/manage/" in mailoutbox[0].body


def test_a_replayed_event_sends_no_second_receipt(deliver, mailoutbox, django_capture_on_commit_callbacks):
    evt = event("checkout.session.completed", one_off_session(amount=2500))

    with django_capture_on_commit_callbacks(execute=True):
        deliver(evt)
        deliver(evt)

    assert len(mailoutbox) == 1


def test_a_contribution_for_a_journalist_who_was_removed_goes_to_the_newsroom(deliver):
    journalist = JournalistFactory()
    session = one_off_session(journalist)
    journalist.delete()

    deliver(event("checkout.session.completed", session))

    assert Contribution.objects.get().journalist is None


def test_control_characters_in_a_supporters_message_are_dropped_not_crashed_on(deliver):
    session = one_off_session(message="Thank\x00 you\x07 for the reporting")
    session["customer_details"]["name"] = "Ada\x00 Reader"

    assert deliver(event("checkout.session.completed", session)).status_code == 200

    contribution = Contribution.objects.get()
    assert contribution.public_message == "Thank you for the reporting"
    assert contribution.supporter_name == "Ada Reader"


def test_a_flood_of_forged_calls_is_answered_429_while_stripes_real_events_still_count(deliver, settings):
    settings.BYLINE_STRIPE_WEBHOOK_FAILURES_PER_MINUTE = 5
    forged = event("checkout.session.completed", one_off_session())

    answers = [deliver(forged, signature="t=1,v1=forged") for _ in range(7)]

    assert [a.status_code for a in answers] == [400] * 5 + [429] * 2
    assert int(answers[-1]["Retry-After"]) >= 1
    assert deliver(event("checkout.session.completed", one_off_session(amount=800))).status_code == 200
    assert ledger_total() == 800
