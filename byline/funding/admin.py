"""Django admin: editors write support page text and goals here, and may hide a supporter's message.

The ledger (contributions, refunds, subscriptions, events) is read-only: only Stripe's webhooks write it.
"""

from django import forms
from django.contrib import admin

from byline.core.conf import byline_setting
from byline.core.errors import InvalidInput
from byline.funding.models import Contribution, ProcessedEvent, Refund, Subscription, SupportPage
from byline.funding.money import format_money, minor_to_input, parse_amount


class SupportPageForm(forms.ModelForm):
    """Editors type the goal in dollars (or the site currency's units); it is stored in minor units."""

    goal = forms.CharField(
        label="Monthly goal",
        required=False,
        max_length=20,
        help_text="In the site currency, e.g. 2000 or 2000.00. Leave empty for no goal meter.",
    )

    class Meta:
        model = SupportPage
        fields = ["journalist", "pitch_source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = byline_setting("BYLINE_CURRENCY").upper()
        self.fields["goal"].label = f"Monthly goal ({self.currency})"
        if self.instance.monthly_goal:
            self.fields["goal"].initial = minor_to_input(self.instance.monthly_goal, self.currency)

    def clean_goal(self) -> int | None:
        text = self.cleaned_data["goal"].strip()
        if not text:
            return None
        try:
            amount = parse_amount(text, self.currency)
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from error
        if amount <= 0:
            raise forms.ValidationError("A goal is more than zero; leave it empty for no goal.")
        return amount

    def save(self, commit: bool = True):
        self.instance.monthly_goal = self.cleaned_data.get("goal")
        return super().save(commit=commit)


@admin.register(SupportPage)
class SupportPageAdmin(admin.ModelAdmin):
    form = SupportPageForm
    list_display = ["__str__", "goal_display", "updated_at"]
    autocomplete_fields = ["journalist"]
    fields = ["journalist", "pitch_source", "goal"]

    @admin.display(description="Monthly goal")
    def goal_display(self, obj: SupportPage) -> str:
        return format_money(obj.monthly_goal, byline_setting("BYLINE_CURRENCY")) if obj.monthly_goal else "—"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        editable = getattr(self, "editable_fields", ())
        return [f.name for f in self.model._meta.fields if f.name not in editable]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["paid_at", "journalist", "kind", "amount", "currency", "article", "message_hidden"]
    list_filter = ["kind", "currency", "message_hidden"]
    search_fields = ["supporter_email", "supporter_name", "stripe_payment_intent", "stripe_invoice"]
    date_hierarchy = "paid_at"
    editable_fields = ("message_hidden",)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["refunded_at", "stripe_charge", "amount", "currency", "contribution"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["stripe_subscription", "journalist", "amount", "currency", "status", "created_at"]
    list_filter = ["status"]


@admin.register(ProcessedEvent)
class ProcessedEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "event_type", "stripe_event", "outcome"]
    list_filter = ["event_type"]
