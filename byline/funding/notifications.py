"""Receipts for supporters, sent after the payment commits (a rolled-back event sends nothing)."""

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from byline.core.conf import byline_setting
from byline.funding.models import Contribution, Kind
from byline.funding.money import format_money

logger = logging.getLogger("byline.funding")


def receipt_send_on_commit(*, contribution: Contribution) -> None:
    if contribution.supporter_email:
        transaction.on_commit(lambda: receipt_send(contribution_id=contribution.pk))


def receipt_send(*, contribution_id: int) -> None:
    """Email the receipt. Failures are logged, never raised: the payment is recorded either way."""
    from byline.funding.services import manage_url_for

    contribution = (
        Contribution.objects.select_related("journalist", "subscription").filter(pk=contribution_id).first()
    )
    if contribution is None or not contribution.supporter_email:
        return
    site_name = byline_setting("BYLINE_SITE_NAME")
    manage_url = ""
    if contribution.kind == Kind.MONTHLY and contribution.subscription_id:
        manage_url = manage_url_for(subscription=contribution.subscription)
    context = {
        "contribution": contribution,
        "amount": format_money(contribution.amount, contribution.currency),
        "recipient": contribution.journalist.name if contribution.journalist else site_name,
        "site_name": site_name,
        "manage_url": manage_url,
    }
    subject = f"Thank you for supporting {context['recipient']} · {site_name}"
    body = render_to_string("funding/email/receipt.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[contribution.supporter_email]).send()
    except Exception:
        logger.exception("Could not send the receipt for contribution %s", contribution_id)
