from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from byline.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "display_name", "is_staff", "email_verified_at", "date_joined")
    search_fields = ("username", "email", "display_name")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Reader profile", {"fields": ("display_name", "email_verified_at", "notify_replies")}),
    )
