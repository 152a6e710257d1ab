"""What the importers remember: which object in Byline each record of an export became.

`ImportedIdentity` makes imports repeatable (a record seen before is recognised, not duplicated) and keeps
the old system's identifiers (a WordPress login, a Disqus post id) without adding columns to other apps'
models. `fingerprint` is a hash of the record as last imported: a re-run updates an object only when its
record changed in the export.
"""

from django.db import models
from django.utils import timezone


class Source(models.TextChoices):
    WORDPRESS = "wordpress", "WordPress"
    DISQUS = "disqus", "Disqus"


class ImportedIdentity(models.Model):
    class Kind(models.TextChoices):
        AUTHOR = "author", "Author → journalist"
        CATEGORY = "category", "Category → section"
        TAG = "tag", "Tag"
        POST = "post", "Post → article"
        COMMENT = "comment", "Comment"
        THREAD = "thread", "Disqus thread → article"

    source = models.CharField(max_length=12, choices=Source.choices)
    # The site the export came from (WordPress base_site_url, Disqus forum): two sites' post 12 differ.
    site = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    external_id = models.CharField(max_length=200)
    object_id = models.BigIntegerField()
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "site", "kind", "external_id"], name="one_identity_per_record"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="imported_object_idx")]
        verbose_name_plural = "imported identities"

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.external_id} → {self.object_id}"


class ImportRun(models.Model):
    """One import that wrote to the database, with its report (dry runs and failures leave no row)."""

    source = models.CharField(max_length=12, choices=Source.choices)
    site = models.CharField(max_length=300, blank=True)
    file_name = models.CharField(max_length=300)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(default=timezone.now)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} import of {self.file_name} at {self.started_at:%Y-%m-%d %H:%M}"
