import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from byline.core.models import TimeStampedModel
from byline.core.text import plain_text, render_body
from byline.core.urls import cached_reverse
from byline.journalists.models import Journalist
from byline.newsroom import images

# Top-level paths the site uses for itself; a section may not take one of these as its slug.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "accounts",
        "api",
        "comments",
        "corrections",
        "feeds",
        "journalists",
        "media",
        "moderate",
        "preview",
        "robots.txt",
        "search",
        "sitemap.xml",
        "static",
        "support",
        "tags",
        "u",
        "users",
        "favicon.ico",
    }
)


def validate_section_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(f"“{value}” is used by the site itself; choose another slug for the section.")


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, validators=[validate_section_slug])
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the navigation and on the home page."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:section", kwargs={"section": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:tag", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def live(self) -> "ArticleQuerySet":
        """What readers may see: published, or scheduled whose time has come. No cron job involved."""
        return self.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
            published_at__isnull=False,
            published_at__lte=timezone.now(),
        )

    def for_listing(self) -> "ArticleQuerySet":
        return self.select_related("section").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("journalist"))
        )


class Article(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    slug = models.SlugField(max_length=200, help_text="The last part of the address: /section/slug/.")
    headline = models.CharField(max_length=250)
    standfirst = models.CharField(
        max_length=400, blank=True, help_text="One sentence under the headline that says what the story is."
    )
    body_source = models.TextField("body", blank=True, help_text="Markdown. HTML is allowed but sanitised.")
    body_html = models.TextField(blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    # The body as plain text, kept for site search (both the FTS5 table and PostgreSQL's tsvector read it).
    body_text = models.TextField(blank=True, editable=False)
    hero_image = models.ImageField(
        upload_to="articles/%Y/%m/", blank=True, width_field="hero_width", height_field="hero_height"
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Smaller copies of the hero image for srcset (newsroom/images.py), remade when the image changes.
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    hero_alt = models.CharField("hero image alt text", max_length=250, blank=True)
    hero_caption = models.CharField(max_length=300, blank=True)
    hero_credit = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When readers first see it. In the future, the article is scheduled."
    )
    comments_open = models.BooleanField(default=True)
    # Approved comments, kept exact by the comments app in the same transaction as each change of state.
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    journalists = models.ManyToManyField(Journalist, through="Byline", related_name="articles")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "slug"], name="unique_article_slug_per_section"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_article_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at"], name="article_live_idx")]
        permissions = [("publish_article", "Can publish and schedule any article")]

    def __str__(self) -> str:
        return self.headline

    def clean(self) -> None:
        super().clean()
        if self.headline is not None and not self.headline.strip():
            raise ValidationError({"headline": "An article needs a headline."})
        if self.status != self.Status.DRAFT and not self.published_at:
            self.published_at = timezone.now()
        if self.status == self.Status.SCHEDULED and self.published_at and self.published_at <= timezone.now():
            self.status = self.Status.PUBLISHED

    def save(self, *args, **kwargs):
        self.body_html = render_body(self.body_source)
        self.body_text = plain_text(self.body_html)
        self.word_count = len(self.body_text.split())
        if self.status != self.Status.DRAFT and not self.published_at:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)
        self._refresh_hero_renditions()

    def _refresh_hero_renditions(self) -> None:
        described = self.hero_renditions or {}
        name = self.hero_image.name if self.hero_image else ""
        if described.get("source", "") == name:
            return
        images.delete_renditions(self.hero_image.storage, described)
        self.hero_renditions = images.make_renditions(self.hero_image) if name else {}
        type(self).objects.filter(pk=self.pk).update(hero_renditions=self.hero_renditions)

    @property
    def hero_srcset(self) -> str:
        return images.srcset(self.hero_image, self.hero_renditions, self.hero_width)

    hero_sizes = images.SIZES

    def get_absolute_url(self) -> str:
        return article_path(self.section.slug, self.slug)

    @property
    def is_live(self) -> bool:
        return (
            self.status != self.Status.DRAFT
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / 230))

    @property
    def ordered_journalists(self) -> list[Journalist]:
        return [byline.journalist for byline in self.bylines.all()]


def article_path(section_slug: str, slug: str) -> str:
    return cached_reverse("newsroom:article", section=section_slug, slug=slug)


class Byline(models.Model):
    """A journalist credited on an article, in the order the editor chose."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    journalist = models.ForeignKey(Journalist, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "journalist"], name="unique_byline"),
        ]

    def __str__(self) -> str:
        return f"{self.journalist} on {self.article}"


class ArticleRedirect(models.Model):
    """An address an article used to have (old slug or section, or an imported permalink).

    Answered with a 301 by ArticleRedirectMiddleware.
    """

    old_path = models.CharField(max_length=500, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_path} → {self.article_id}"


class ArticleNote(models.Model):
    """A dated note an editor appends to a published article: a correction, an update, a clarification."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"
        CLARIFICATION = "clarification", "Clarification"
        RETRACTION = "retraction", "Retraction"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CORRECTION)
    noted_at = models.DateTimeField(default=timezone.now, help_text="When the note was made; readers see it.")
    text = models.TextField(help_text="What was wrong and what is right now, in plain words.")

    class Meta:
        ordering = ["noted_at", "id"]
        indexes = [models.Index(fields=["-noted_at"], name="article_note_recent_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.article}"

    def clean(self) -> None:
        super().clean()
        if self.text is not None and not self.text.strip():
            raise ValidationError({"text": "Say what the note is about."})


class ArticleRevision(models.Model):
    """What an article looked like after one save: who saved it, when, and a snapshot of its fields."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(default=dict)
    summary = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_revision_number"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of {self.article_id}"
