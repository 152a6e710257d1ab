from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from byline.newsroom.models import Article, ArticleRedirect, Byline, Section, Tag


class BylineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("journalist")
        ]
        if self.instance.status != Article.Status.DRAFT and not kept:
            raise ValidationError("Add at least one journalist before publishing or scheduling this article.")


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    extra = 1
    autocomplete_fields = ["journalist"]
    fields = ("journalist", "position")
    verbose_name = "journalist"
    verbose_name_plural = "Journalists (in byline order)"


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 — the admin's fieldsets choose what is shown

    def clean_headline(self) -> str:
        headline = (self.cleaned_data.get("headline") or "").strip()
        if not headline:
            raise ValidationError("An article needs a headline.")
        return headline


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [BylineInline]
    list_display = ("headline", "section", "status", "published_at", "updated_at", "preview_link")
    list_filter = ("status", "section", "comments_open", "tags")
    search_fields = ("headline", "standfirst", "body_source", "bylines__journalist__name")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ["tags"]
    list_select_related = ["section"]
    fieldsets = (
        (None, {"fields": ("headline", "standfirst", "section", "slug", "body_source", "tags")}),
        ("Hero image", {"fields": ("hero_image", "hero_alt", "hero_caption", "hero_credit")}),
        ("Publishing", {"fields": ("status", "published_at", "comments_open")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.has_perm("newsroom.publish_article"):
            return queryset
        # Writers see and change their own drafts only.
        return queryset.filter(status=Article.Status.DRAFT).filter(
            models_q_own(request.user)
        ).distinct()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not request.user.has_perm("newsroom.publish_article") and "status" in form.base_fields:
            field = form.base_fields["status"]
            field.choices = [(Article.Status.DRAFT, "Draft")]
            field.help_text = "An editor publishes or schedules the article."
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if not request.user.has_perm("newsroom.publish_article"):
            obj.status = Article.Status.DRAFT
        super().save_model(request, obj, form, change)

    @admin.display(description="Preview")
    def preview_link(self, obj: Article) -> str:
        return format_html('<a href="{}">Preview</a>', reverse("newsroom:preview", args=[obj.pk]))

    def view_on_site(self, obj: Article) -> str:
        return obj.get_absolute_url() if obj.is_live else reverse("newsroom:preview", args=[obj.pk])


def models_q_own(user):
    from django.db.models import Q

    return Q(created_by=user) | Q(bylines__journalist__user=user)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    list_display = ("old_path", "article", "created_at")
    search_fields = ("old_path", "article__headline")
    raw_id_fields = ["article"]
