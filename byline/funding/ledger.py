"""Recording Stripe webhook events in the ledger, exactly once, whatever the order or concurrency.

How exactness holds:
- each event id is inserted into ProcessedEvent in the same transaction as its effect, so a replay (or a
  concurrent second delivery, which waits on the unique index) is recognised and changes nothing;
- each payment has a unique Stripe key (payment intent or invoice), so the two events that report a
  subscription's first payment store it once;
- refunds keep the charge's running total (the largest seen wins), so late or repeated refund events are
  harmless, and a refund that arrives before its payment waits unlinked until the payment is recorded.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from byline.core.text import strip_control_chars
from byline.funding.models import Contribution, Kind, ProcessedEvent, Refund, Subscription
from byline.funding.notifications import receipt_send_on_commit
from byline.journalists.models import Journalist
from byline.newsroom.models import Article

logger = logging.getLogger("byline.funding")

# Set on every Checkout session we create; events without it belong to something else on the Stripe account.
MARKER = "byline_support"


def webhook_event_record(*, event: dict[str, Any]) -> str:
    """Apply one verified Stripe event to the ledger and say what happened (for logs and the response)."""
    handler = HANDLERS.get(event.get("type", ""))
    if handler is None:
        return "ignored: not an event Byline handles"
    with transaction.atomic():
        try:
            with transaction.atomic():
                processed = ProcessedEvent.objects.create(stripe_event=event["id"], event_type=event["type"])
        except IntegrityError:
            return "duplicate: already processed"
        outcome = handler(event["data"].get("object") or {}, _moment(event.get("created")), event["id"])
        processed.outcome = outcome[:200]
        processed.save(update_fields=["outcome"])
    transaction.on_commit(refunds_link_orphans)
    return outcome


def _moment(epoch: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return timezone.now()


def _id(value: Any) -> str | None:
    """Stripe fields may hold an id or an expanded object; return the id either way."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _attribution(metadata: dict[str, Any]) -> tuple[Journalist | None, Article | None]:
    journalist = article = None
    journalist_id = str(metadata.get("journalist_id") or "")
    if journalist_id.isdigit():
        journalist = Journalist.objects.filter(pk=int(journalist_id)).first()
        if journalist is None:
            logger.warning(
                "Contribution for journalist %s who no longer exists: kept for the newsroom", journalist_id
            )
    article_id = str(metadata.get("article_id") or "")
    if article_id.isdigit():
        article = Article.objects.filter(pk=int(article_id)).first()
    return journalist, article


def _contribution_insert(**fields: Any) -> tuple[Contribution, bool]:
    """Insert a payment unless its Stripe key is already in the ledger; return it and whether it is new."""
    keys = {k: fields[k] for k in ("stripe_payment_intent", "stripe_invoice") if fields.get(k)}
    contribution = Contribution(**fields)
    contribution.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            contribution.save()
    except IntegrityError:
        query = Q()
        for key, value in keys.items():
            query |= Q(**{key: value})
        existing = Contribution.objects.select_for_update().filter(query).first()
        if existing is None:  # The clash was on something else; let the event fail and Stripe retry it.
            raise
        # The other event may know a key this one lacks (an invoice's charge): keep both, for refund matching.
        changed = [
            k
            for k in ("stripe_payment_intent", "stripe_charge")
            if fields.get(k) and not getattr(existing, k)
        ]
        for key in changed:
            setattr(existing, key, fields[key])
        if changed:
            existing.save(update_fields=changed)
        return existing, False
    receipt_send_on_commit(contribution=contribution)
    return contribution, True


def _subscription_upsert(stripe_subscription: str, **fields: Any) -> Subscription:
    """Find or create the subscription; fill in what it lacks but never revive a cancelled one."""
    subscription = (
        Subscription.objects.select_for_update().filter(stripe_subscription=stripe_subscription).first()
    )
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription(stripe_subscription=stripe_subscription, **fields)
                subscription.full_clean(validate_unique=False)
                subscription.save()
                return subscription
        except IntegrityError:
            subscription = Subscription.objects.select_for_update().get(
                stripe_subscription=stripe_subscription
            )
    changed = []
    for key, value in fields.items():
        if key in {"status", "canceled_at"}:
            continue
        if value and not getattr(subscription, key):
            setattr(subscription, key, value)
            changed.append(key)
    if changed:
        subscription.save(update_fields=[*changed, "updated_at"])
    return subscription


def _supporter(metadata: dict[str, Any], details: dict[str, Any] | None) -> dict[str, Any]:
    details = details or {}
    anonymous = str(metadata.get("anonymous", "")).lower() in {"1", "true", "yes"}
    return {
        "supporter_email": (details.get("email") or "")[:254],
        "supporter_name": strip_control_chars(str(details.get("name") or ""))[:200],
        "is_anonymous": anonymous,
        "public_message": strip_control_chars(str(metadata.get("message") or "")).strip()[:280],
    }


def checkout_session_completed(session: dict[str, Any], moment: datetime, event_id: str) -> str:
    metadata = session.get("metadata") or {}
    if not metadata.get(MARKER):
        return "ignored: not a Byline checkout"
    if session.get("payment_status") != "paid":
        return f"ignored: payment status {session.get('payment_status')}"
    journalist, article = _attribution(metadata)
    currency = (session.get("currency") or "").upper()
    supporter = _supporter(metadata, session.get("customer_details"))
    common = {"journalist": journalist, "article": article, "currency": currency}
    if session.get("mode") == "subscription":
        if not _id(session.get("subscription")):
            return "ignored: no subscription"
        subscription = _subscription_upsert(
            _id(session.get("subscription")),
            stripe_customer=_id(session.get("customer")) or "",
            stripe_checkout_session=session.get("id") or "",
            amount=int(session.get("amount_total") or 0),
            supporter_email=supporter["supporter_email"],
            **common,
        )
        invoice = _id(session.get("invoice"))
        if not invoice or not session.get("amount_total"):
            return "subscription recorded; its first payment comes with invoice.paid"
        _, created = _contribution_insert(
            kind=Kind.MONTHLY,
            subscription=subscription,
            amount=int(session["amount_total"]),
            stripe_invoice=invoice,
            stripe_checkout_session=session.get("id") or "",
            source_event=event_id,
            paid_at=moment,
            **common,
            **supporter,
        )
        return "monthly payment recorded" if created else "monthly payment already recorded"
    payment_intent = _id(session.get("payment_intent"))
    if not payment_intent or not session.get("amount_total"):
        return "ignored: no payment intent"
    _, created = _contribution_insert(
        kind=Kind.ONE_OFF,
        amount=int(session["amount_total"]),
        stripe_payment_intent=payment_intent,
        stripe_checkout_session=session.get("id") or "",
        source_event=event_id,
        paid_at=moment,
        **common,
        **supporter,
    )
    return "one-off payment recorded" if created else "one-off payment already recorded"


def _invoice_subscription(invoice: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The subscription id and metadata, from older (`subscription`) and newer (`parent`) invoice shapes."""
    details = (
        ((invoice.get("parent") or {}).get("subscription_details"))
        or invoice.get("subscription_details")
        or {}
    )
    subscription = _id(invoice.get("subscription")) or _id(details.get("subscription"))
    return subscription, details.get("metadata") or {}


def _invoice_payment_intent(invoice: dict[str, Any]) -> str | None:
    found = _id(invoice.get("payment_intent"))
    for payment in (invoice.get("payments") or {}).get("data") or []:
        found = found or _id((payment.get("payment") or {}).get("payment_intent"))
    return found


def invoice_paid(invoice: dict[str, Any], moment: datetime, event_id: str) -> str:
    stripe_subscription, metadata = _invoice_subscription(invoice)
    if not stripe_subscription:
        return "ignored: not a subscription invoice"
    known = Subscription.objects.filter(stripe_subscription=stripe_subscription).first()
    if not metadata.get(MARKER) and known is None:
        return "ignored: not a Byline subscription"
    amount = int(invoice.get("amount_paid") or 0)
    if amount <= 0:
        return "ignored: nothing paid"
    journalist, article = (
        _attribution(metadata) if metadata.get(MARKER) else (known.journalist, known.article)
    )
    currency = (invoice.get("currency") or "").upper()
    subscription = _subscription_upsert(
        stripe_subscription,
        stripe_customer=_id(invoice.get("customer")) or "",
        journalist=journalist,
        article=article,
        amount=amount,
        currency=currency,
        supporter_email=invoice.get("customer_email") or "",
    )
    supporter = _supporter(
        metadata, {"email": invoice.get("customer_email"), "name": invoice.get("customer_name")}
    )
    _, created = _contribution_insert(
        kind=Kind.MONTHLY,
        subscription=subscription,
        journalist=subscription.journalist,
        article=subscription.article,
        amount=amount,
        currency=currency,
        paid_at=moment,
        stripe_invoice=_id(invoice.get("id")),
        stripe_payment_intent=_invoice_payment_intent(invoice),
        stripe_charge=_id(invoice.get("charge")),
        source_event=event_id,
        **supporter,
    )
    return "monthly payment recorded" if created else "monthly payment already recorded"


def charge_refunded(charge: dict[str, Any], moment: datetime, event_id: str) -> str:
    charge_id = _id(charge.get("id"))
    total = int(charge.get("amount_refunded") or 0)
    if not charge_id or total <= 0:
        return "ignored: no refunded amount"
    fields = {
        "stripe_payment_intent": _id(charge.get("payment_intent")) or "",
        "stripe_invoice": _id(charge.get("invoice")) or "",
        "currency": (charge.get("currency") or "").upper(),
    }
    refund = Refund.objects.select_for_update().filter(stripe_charge=charge_id).first()
    if refund is None:
        try:
            with transaction.atomic():
                refund = Refund.objects.create(
                    stripe_charge=charge_id, amount=total, refunded_at=moment, **fields
                )
        except IntegrityError:
            refund = Refund.objects.select_for_update().get(stripe_charge=charge_id)
    if (
        total > refund.amount
    ):  # Stripe sends the running total; an older, smaller total arriving late changes nothing.
        refund.amount, refund.refunded_at = total, moment
        refund.save(update_fields=["amount", "refunded_at"])
    if refund.contribution_id is None and not _refund_link(refund):
        logger.warning("Refund on charge %s for a payment we never recorded (event %s)", charge_id, event_id)
        return "refund kept unlinked: payment unknown"
    return "refund recorded"


def _refund_link(refund: Refund) -> bool:
    query = Q(stripe_charge=refund.stripe_charge)
    if refund.stripe_payment_intent:
        query |= Q(stripe_payment_intent=refund.stripe_payment_intent)
    if refund.stripe_invoice:
        query |= Q(stripe_invoice=refund.stripe_invoice)
    contribution = Contribution.objects.filter(query).first()
    if contribution is None:
        return False
    refund.contribution = contribution
    refund.save(update_fields=["contribution"])
    return True


def refunds_link_orphans() -> None:
    """Link refunds that arrived before their payment. Runs after each event commits, so whichever of
    two concurrent events commits last sees both rows."""
    try:
        with transaction.atomic():
            for refund in Refund.objects.select_for_update().filter(contribution__isnull=True)[:100]:
                _refund_link(refund)
    except Exception:  # Logged, not raised: the next event retries, and the response is already decided.
        logger.exception("Linking refunds to payments failed")


def subscription_deleted(subscription: dict[str, Any], moment: datetime, event_id: str) -> str:
    stripe_subscription = _id(subscription.get("id"))
    metadata = subscription.get("metadata") or {}
    exists = Subscription.objects.filter(stripe_subscription=stripe_subscription).exists()
    if not stripe_subscription or (not exists and not metadata.get(MARKER)):
        return "ignored: not a Byline subscription"
    journalist, article = _attribution(metadata)
    items = ((subscription.get("items") or {}).get("data")) or [{}]
    price = items[0].get("price") or {}
    record = _subscription_upsert(
        stripe_subscription,
        stripe_customer=_id(subscription.get("customer")) or "",
        journalist=journalist,
        article=article,
        amount=int(price.get("unit_amount") or 0),
        currency=(subscription.get("currency") or price.get("currency") or "").upper(),
    )
    if record.status != Subscription.Status.CANCELED:
        ended = subscription.get("ended_at") or subscription.get("canceled_at")
        record.status = Subscription.Status.CANCELED
        record.canceled_at = _moment(ended) if ended else moment
        record.save(update_fields=["status", "canceled_at", "updated_at"])
    return "subscription cancelled"


HANDLERS: dict[str, Callable[[dict[str, Any], datetime, str], str]] = {
    "checkout.session.completed": checkout_session_completed,
    "invoice.paid": invoice_paid,
    "charge.refunded": charge_refunded,
    "customer.subscription.deleted": subscription_deleted,
}
