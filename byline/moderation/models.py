"""Moderation's own records: word lists, settings, authors' standing, appeals and the audit log.

The comment itself (status, reasons, scores) belongs to the comments app and changes only through
`byline.comments.services`; everything here points at it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from byline.comments.models import Comment
from byline.newsroom.models import Article


class ModerationMode(models.TextChoices):
    POST = "post", "Post-moderate (publish, review afterwards)"
    PRE = "pre", "Pre-moderate every comment"
    PRE_FIRST = "pre_first", "Pre-moderate first-time commenters"


class WordListEntry(models.Model):
    class ListName(models.TextChoices):
        BANNED = "banned", "Banned (reject)"
        SUSPECT = "suspect", "Suspect (hold)"
        ALLOWED = "allowed", "Allowed (never flag)"

    class Category(models.TextChoices):
        PROFANITY = "profanity", "Profanity"
        SLUR = "slur", "Slur"
        INSULT = "insult", "Insult"
        DEHUMANISING = "dehumanising", "Dehumanising"
        THREAT = "threat", "Threat"
        SPAM = "spam", "Spam"
        ALLOWED = "allowed", "Allowed word"
        OTHER = "other", "Other"

    term = models.CharField(
        max_length=120,
        help_text="A word, a phrase, “stem*” for words starting with it, or “~word” for a word that counts "
        "only when aimed at people.",
    )
    list_name = models.CharField(max_length=10, choices=ListName.choices)
    category = models.CharField(max_length=15, choices=Category.choices, default=Category.OTHER)
    is_active = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["list_name", "term"]
        constraints = [models.UniqueConstraint(fields=["term", "list_name"], name="one_term_per_list")]

    def __str__(self) -> str:
        return f"{self.term} ({self.list_name})"


class SiteModerationSettings(models.Model):
    """One row (pk=1). Empty fields fall back to the BYLINE_* settings."""

    mode = models.CharField(max_length=10, choices=ModerationMode.choices, blank=True)
    hold_threshold = models.FloatField(null=True, blank=True)
    nudge_threshold = models.FloatField(null=True, blank=True)
    max_links = models.PositiveSmallIntegerField(null=True, blank=True)
    trust_after = models.PositiveSmallIntegerField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "site moderation settings"

    def __str__(self) -> str:
        return "Site moderation settings"


class ArticleModerationSettings(models.Model):
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="moderation_settings")
    mode = models.CharField(
        max_length=10, choices=ModerationMode.choices, blank=True, help_text="Empty: the site's mode."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Moderation of {self.article_id}: {self.mode or 'site default'}"


class AuthorStanding(models.Model):
    """What moderators decided about a person, as opposed to one comment."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standing")
    warnings = models.PositiveSmallIntegerField(default=0)
    suspended_until = models.DateTimeField(null=True, blank=True)
    is_banned = models.BooleanField(default=False)
    always_premoderate = models.BooleanField(default=False)
    is_shadow_banned = models.BooleanField(
        default=False, help_text="Their comments are visible to them only."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Standing of {self.user_id}"

    def is_suspended(self, now=None) -> bool:
        return self.suspended_until is not None and self.suspended_until > (now or timezone.now())


class ModerationEvent(models.Model):
    """The audit log: one row per decision, automatic or human. Rows are never changed or deleted;
    an undo is a new row pointing at the one it reverts."""

    class Action(models.TextChoices):
        POLICY = "policy", "Automatic check"
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        HOLD = "hold", "Returned to queue"
        FEATURE = "feature", "Featured"
        UNFEATURE = "unfeature", "Unfeatured"
        WARN = "warn", "Warned author"
        SUSPEND = "suspend", "Suspended author"
        BAN = "ban", "Banned author"
        PREMODERATE = "premoderate", "Always pre-moderate author"
        SHADOW_BAN = "shadow_ban", "Shadow-banned author"
        RESTORE = "restore", "Restored author's standing"
        APPEAL = "appeal", "Author appealed"
        EDITED = "edited", "Author edited"
        UNDO = "undo", "Undid a decision"

    # No single-column index on comment or author: the composite indexes in Meta start with them.
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_events",
        db_index=False,
    )
    comment_ref = models.PositiveBigIntegerField(null=True, blank=True, help_text="The comment's id, kept.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        help_text="Empty: the system.",
    )
    actor_name = models.CharField(max_length=150, default="system")
    action = models.CharField(max_length=12, choices=Action.choices)
    reason = models.TextField(blank=True)
    status_before = models.CharField(max_length=10, blank=True)
    status_after = models.CharField(max_length=10, blank=True)
    details = models.JSONField(default=dict, blank=True)
    reverts = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reverted_by"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["comment", "created_at"], name="modevent_comment_idx"),
            models.Index(fields=["author", "created_at"], name="modevent_author_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.comment_ref or ''}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The moderation log is append-only.")


class Appeal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a second look"
        UPHELD = "upheld", "Rejection upheld"
        OVERTURNED = "overturned", "Overturned: published"

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="appeal")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Appeal on {self.comment_id} ({self.status})"
