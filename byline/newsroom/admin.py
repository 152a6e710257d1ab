from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from byline.core.errors import BylineError
from byline.newsroom import services
from byline.newsroom.links import absolute_url
from byline.newsroom.models import (
    Article,
    ArticleNote,
    ArticleRedirect,
    ArticleRevision,
    Byline,
    Section,
    Tag,
)
from byline.newsroom.revisions import revision_diff


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


class ArticleNoteInline(admin.StackedInline):
    model = ArticleNote
    extra = 0
    fields = ("kind", "noted_at", "text")
    verbose_name = "correction or update"
    verbose_name_plural = "Corrections and updates (shown on the article, in feeds and at /corrections/)"


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
    inlines = [BylineInline, ArticleNoteInline]
    readonly_fields = ("shared_preview_link", "revision_history")
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
        ("Sharing and history", {"fields": ("shared_preview_link", "revision_history")}),
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
        obj._revision_deferred = True  # recorded in save_related, once tags and byline are saved too
        super().save_model(request, obj, form, change)

    def get_inlines(self, request, obj):
        # Corrections and updates are about an article that exists: the add form does not offer them.
        if obj is None:
            return [BylineInline]
        return [BylineInline, ArticleNoteInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.revision_record(article=form.instance, user=request.user)

    @admin.display(description="Shareable preview link")
    def shared_preview_link(self, obj: Article | None) -> str:
        if obj is None or not obj.pk:
            return "Save the article first."
        token = services.preview_token_make(article=obj)
        url = absolute_url(reverse("newsroom:shared_preview", kwargs={"token": token}))
        return format_html(
            '<a href="{}">{}</a><br><span class="help">Anyone with this link can read the article as it is '
            "now, without logging in, until the link expires. Search engines will not index it.</span>",
            url,
            url,
        )

    @admin.display(description="Revisions")
    def revision_history(self, obj: Article | None) -> str:
        if obj is None or not obj.pk:
            return "-"
        url = reverse("admin:newsroom_article_revisions", args=[obj.pk])
        return format_html('<a href="{}">Compare and restore revisions</a>', url)

    def get_urls(self):
        own = [
            path(
                "<int:pk>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="newsroom_article_revisions",
            ),
            path(
                "<int:pk>/revisions/compare/",
                self.admin_site.admin_view(self.revision_compare_view),
                name="newsroom_article_revision_compare",
            ),
            path(
                "<int:pk>/revisions/<int:number>/restore/",
                self.admin_site.admin_view(require_POST(self.revision_restore_view)),
                name="newsroom_article_revision_restore",
            ),
        ]
        return own + super().get_urls()

    def _article_for_revisions(self, request, pk: int) -> Article:
        article = self.get_object(request, str(pk))
        if article is None:
            raise Http404("No such article")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def revisions_view(self, request, pk: int):
        article = self._article_for_revisions(request, pk)
        revisions = article.revisions.select_related("created_by").order_by("-number")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Revisions of “{article.headline}”",
            "article": article,
            "revisions": revisions,
        }
        return TemplateResponse(request, "admin/newsroom/article/revisions.html", context)

    def revision_compare_view(self, request, pk: int):
        article = self._article_for_revisions(request, pk)
        numbers = sorted({_int(request.GET.get("a")), _int(request.GET.get("b"))} - {None})
        if len(numbers) != 2:
            messages.warning(request, "Choose two different revisions to compare.")
            return HttpResponseRedirect(reverse("admin:newsroom_article_revisions", args=[pk]))
        older = get_object_or_404(ArticleRevision, article=article, number=numbers[0])
        newer = get_object_or_404(ArticleRevision, article=article, number=numbers[1])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Revision {older.number} compared with revision {newer.number}",
            "article": article,
            "older": older,
            "newer": newer,
            "changes": revision_diff(older, newer),
        }
        return TemplateResponse(request, "admin/newsroom/article/revision_compare.html", context)

    def revision_restore_view(self, request, pk: int, number: int):
        article = self._article_for_revisions(request, pk)
        revision = get_object_or_404(ArticleRevision, article=article, number=number)
        try:
            services.revision_restore(article=article, revision=revision, user=request.user)
        except BylineError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(reverse("admin:newsroom_article_revisions", args=[pk]))
        messages.success(request, f"Revision {number} restored. Its words are now the current version.")
        return HttpResponseRedirect(reverse("admin:newsroom_article_change", args=[pk]))

    @admin.display(description="Preview")
    def preview_link(self, obj: Article) -> str:
        return format_html('<a href="{}">Preview</a>', reverse("newsroom:preview", args=[obj.pk]))

    def view_on_site(self, obj: Article) -> str:
        return obj.get_absolute_url() if obj.is_live else reverse("newsroom:preview", args=[obj.pk])


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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
