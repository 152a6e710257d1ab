from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from byline.core.models import TimeStampedModel
from byline.core.text import render_body

# /support/<slug>/ shares its address space with these pages of the funding app.
RESERVED_JOURNALIST_SLUGS = frozenset({"thanks", "manage", "newsroom", "stripe"})


def validate_journalist_slug(value: str) -> None:
    if value in RESERVED_JOURNALIST_SLUGS:
        raise ValidationError(
            f"“{value}” is used by the site itself; choose another slug for the journalist."
        )


class Journalist(TimeStampedModel):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, validators=[validate_journalist_slug])
    call_name = models.CharField(
        max_length=60,
        blank=True,
        help_text="Name used in “Help fund …'s journalism!”. Leave empty to use the first word of the name.",
    )
    role = models.CharField(max_length=120, blank=True, help_text="For example “Journalist and Writer”.")
    bio_source = models.TextField(
        "bio", blank=True, help_text="A few sentences. Markdown: *emphasis*, [links](…)."
    )
    bio_html = models.TextField(blank=True, editable=False)
    photo = models.ImageField(
        upload_to="journalists/", blank=True, width_field="photo_width", height_field="photo_height"
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField("photo alt text", max_length=200, blank=True)
    email = models.EmailField(blank=True, help_text="Private: never shown to readers.")
    accepts_support = models.BooleanField(
        default=True, help_text="Show “Help fund …'s journalism!” under this journalist's byline."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="journalist",
        help_text="The staff account this journalist logs in with.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.bio_html = render_body(self.bio_source)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("journalists:detail", kwargs={"slug": self.slug})

    @property
    def first_name(self) -> str:
        return self.call_name or (self.name.split() or [""])[0]


class JournalistLink(models.Model):
    journalist = models.ForeignKey(Journalist, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=60, help_text="For example “Mastodon” or “Website”.")
    url = models.URLField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.url}"
