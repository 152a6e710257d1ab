"""The reader-funding ledger.

Contributions and refunds are written only from signature-verified Stripe webhooks (see `ledger.py`). Every
Stripe object that can carry money has a unique column here, so a payment reported by two different events
(a subscription's first invoice arrives as `checkout.session.completed` *and* `invoice.paid`) or by the same
event twice is stored once, whatever the order or timing. Amounts are integer minor units with a currency.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from byline.core.models import TimeStampedModel
from byline.core.text import render_body
from byline.journalists.models import Journalist
from byline.newsroom.models import Article

currency_code = RegexValidator(
    r"^[A-Z]{3}$", "A currency is a three-letter ISO 4217 code in capitals, e.g. CAD."
)


class SupportPage(TimeStampedModel):
    """The text of a support page: one for the newsroom (no journalist) and at most one per journalist."""

    journalist = models.OneToOneField(
        Journalist,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="support_page",
        help_text="Leave empty for the newsroom's own page (/support/).",
    )
    pitch_source = models.TextField(
        "what the money pays for",
        blank=True,
        help_text="Who the money funds and what it pays for. Markdown: *emphasis*, [links](…), lists.",
    )
    pitch_html = models.TextField(blank=True, editable=False)
    monthly_goal = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Optional, in minor units of the site currency: 200000 is $2,000.00. Empty: no meter.",
    )

    class Meta:
        constraints = [
            # NULL journalist is the newsroom; Coalesce makes "one newsroom page" hold on every database.
            models.UniqueConstraint(Coalesce("journalist", 0), name="one_support_page_per_journalist"),
            models.CheckConstraint(condition=Q(monthly_goal__gt=0), name="support_goal_positive"),
        ]

    def __str__(self) -> str:
        return f"Support page: {self.journalist or 'the newsroom'}"

    def save(self, *args, **kwargs):
        self.pitch_html = render_body(self.pitch_source)
        super().save(*args, **kwargs)


class Kind(models.TextChoices):
    ONE_OFF = "one_off", "One-off"
    MONTHLY = "monthly", "Monthly"


class Subscription(TimeStampedModel):
    """A reader's monthly contribution as Stripe reports it. Its payments are Contributions."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CANCELED = "canceled", "Cancelled"

    stripe_subscription = models.CharField(max_length=255, unique=True)
    stripe_customer = models.CharField(max_length=255, blank=True)
    stripe_checkout_session = models.CharField(max_length=255, blank=True, db_index=True)
    journalist = models.ForeignKey(
        Journalist, null=True, blank=True, on_delete=models.PROTECT, related_name="support_subscriptions"
    )
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    amount = models.PositiveBigIntegerField(default=0, help_text="Per month, in minor units.")
    currency = models.CharField(max_length=3, validators=[currency_code])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    supporter_email = models.EmailField(blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.stripe_subscription} ({self.get_status_display()})"


class Contribution(models.Model):
    """One payment received: a one-off gift or one month of a subscription."""

    journalist = models.ForeignKey(
        Journalist,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
        help_text="Empty: given to the newsroom.",
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The article the reader came from, if any.",
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.PositiveBigIntegerField(help_text="In minor units of the currency (cents).")
    currency = models.CharField(max_length=3, validators=[currency_code])
    paid_at = models.DateTimeField(db_index=True)
    supporter_name = models.CharField(max_length=200, blank=True)
    supporter_email = models.EmailField(blank=True)
    is_anonymous = models.BooleanField(default=False)
    public_message = models.CharField(max_length=280, blank=True)
    message_hidden = models.BooleanField(default=False, help_text="Hide this message from the support page.")
    stripe_checkout_session = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_payment_intent = models.CharField(max_length=255, null=True, blank=True, unique=True)
    stripe_invoice = models.CharField(max_length=255, null=True, blank=True, unique=True)
    stripe_charge = models.CharField(max_length=255, null=True, blank=True, unique=True)
    source_event = models.CharField(max_length=255, help_text="The Stripe event that recorded this payment.")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_amount_positive"),
            models.CheckConstraint(
                condition=Q(stripe_payment_intent__isnull=False) | Q(stripe_invoice__isnull=False),
                name="contribution_has_stripe_key",
            ),
            models.CheckConstraint(
                condition=Q(kind="one_off") | Q(stripe_invoice__isnull=False),
                name="monthly_payment_has_invoice",
            ),
        ]
        indexes = [models.Index(fields=["journalist", "paid_at"], name="contribution_journalist_idx")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} for {self.journalist or 'the newsroom'}"


class Refund(models.Model):
    """Money returned on one charge. Stripe reports the charge's running total, so one row per charge."""

    stripe_charge = models.CharField(max_length=255, unique=True)
    stripe_payment_intent = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_invoice = models.CharField(max_length=255, blank=True, db_index=True)
    contribution = models.ForeignKey(
        Contribution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
        help_text="Empty while the refunded payment is unknown to us.",
    )
    amount = models.PositiveBigIntegerField(help_text="Total refunded on the charge, in minor units.")
    currency = models.CharField(max_length=3, validators=[currency_code])
    refunded_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-refunded_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"Refund of {self.amount} {self.currency} on {self.stripe_charge}"


class ProcessedEvent(models.Model):
    """A Stripe event we have handled. The unique id is what makes a replayed delivery count once."""

    stripe_event = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=100)
    outcome = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.stripe_event}"
