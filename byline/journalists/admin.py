from django.contrib import admin

from byline.journalists.models import Journalist, JournalistLink


class JournalistLinkInline(admin.TabularInline):
    model = JournalistLink
    extra = 1


@admin.register(Journalist)
class JournalistAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "accepts_support", "user")
    list_filter = ("accepts_support",)
    search_fields = ("name", "role", "email")  # also serves the byline autocomplete
    prepopulated_fields = {"slug": ("name",)}
    inlines = [JournalistLinkInline]
    fields = (
        "name",
        "slug",
        "call_name",
        "role",
        "bio_source",
        "photo",
        "photo_alt",
        "email",
        "accepts_support",
        "user",
    )
