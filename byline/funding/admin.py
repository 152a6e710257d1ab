"""Django admin: editors write support page text and goals here, and may hide a supporter's message.

The ledger (contributions, refunds, subscriptions, events) is read-only: only Stripe's webhooks write it.
"""

from django.contrib import admin

from byline.funding.models import Contribution, ProcessedEvent, Refund, Subscription, SupportPage


@admin.register(SupportPage)
class SupportPageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "monthly_goal", "updated_at"]
    autocomplete_fields = ["journalist"]
    fields = ["journalist", "pitch_source", "monthly_goal"]


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
