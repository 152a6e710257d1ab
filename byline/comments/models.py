"""Readers' comments under articles, their likes and their reports.

A comment's visibility is the product of three switches: `status` (the moderation verdict), `is_removed`
(its author deleted it: shown as "comment removed" so replies keep their place) and `is_shadowed` (visible
to its author only). `Article.comment_count` counts comments that are approved, not removed and not
shadowed; it changes only through `byline.comments.services`, in the same transaction as the comment.

`body_digest` is the sha256 of `body_source` exactly as stored, kept in step by `save()` and by the queryset's
`bulk_create`, `bulk_update` and `update`: the moderation pipeline's duplicate check looks a text up by its
digest (an index) instead of comparing the text of every recent comment.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from byline.core.rows import precomposed_insert
from byline.newsroom.models import Article

# A top-level comment every reader sees: the thread lists' partial indexes hold these only.
PUBLIC_THREAD = Q(parent__isnull=True, status="approved", is_shadowed=False)


def body_digest(body_source: str) -> str:
    """The digest stored with a comment's text: equal digests mean byte-for-byte equal texts."""
    return hashlib.sha256(body_source.encode("utf-8")).hexdigest()


class CommentQuerySet(models.QuerySet):
    def public(self) -> "CommentQuerySet":
        """What every reader sees counted: approved, not removed, not shadowed."""
        return self.filter(status=Comment.Status.APPROVED, is_removed=False, is_shadowed=False)

    # Writes that skip `Comment.save()` still keep `body_digest` in step with `body_source`.

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.body_digest = body_digest(obj.body_source)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "body_source" in fields:
            objs = list(objs)
            for obj in objs:
                obj.body_digest = body_digest(obj.body_source)
            fields = [*fields, "body_digest"] if "body_digest" not in fields else fields
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs) -> int:
        if "body_source" in kwargs and "body_digest" not in kwargs:
            if not isinstance(kwargs["body_source"], str):
                raise TypeError(
                    "Comment.body_source can only be updated to a str here; pass body_digest too."
                )
            kwargs["body_digest"] = body_digest(kwargs["body_source"])
        return super().update(**kwargs)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    # No single-column index on article, author or thread_root: the composite indexes in Meta start with
    # them and answer the same lookups (fewer indexes to update on every insert).
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments", db_index=False)
    # Null for comments imported from another system (the guest fields say who wrote them) and for
    # comments kept after their author deleted the account ("Former reader").
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        db_index=False,
    )
    guest_name = models.CharField(max_length=120, blank=True)
    guest_email = models.EmailField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The top-level comment of this thread (null on a top-level comment): one query fetches whole threads.
    thread_root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="thread_comments",
        db_index=False,
    )
    # The comment this one answers. Usually `parent`; past the maximum depth a reply is placed under the
    # deepest allowed level (`parent`) but still says whom it answers.
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    body_source = models.TextField()
    body_digest = models.CharField(
        max_length=64, blank=True, editable=False, help_text="sha256 of body_source."
    )
    body_html = models.TextField(blank=True)
    # Indexed in Meta: a field-level db_index on a CharField also makes PostgreSQL keep a second,
    # pattern-matching (LIKE) copy that no query of ours uses, updated on every insert.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    is_removed = models.BooleanField(
        default=False, help_text="Deleted by its author: shown as “comment removed”."
    )
    is_featured = models.BooleanField(default=False)
    is_shadowed = models.BooleanField(default=False, help_text="Visible to its author only.")
    moderation_reasons = models.JSONField(
        default=list, blank=True, help_text='A list of {"check", "verdict", "reason", "score"}.'
    )
    toxicity_score = models.FloatField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True, help_text="Shown to the author.")
    like_count = models.PositiveIntegerField(default=0)
    # Not auto_now_add: importers keep a comment's original time.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, help_text="Keyed hash of the anonymised address.")

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status"], name="comment_status_idx"),
            models.Index(fields=["article", "parent", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["thread_root", "created_at"], name="comment_root_idx"),
            models.Index(fields=["author", "created_at"], name="comment_author_idx"),
            # The pipeline's trust check counts an author's approved comments up to a small cap: without
            # it, PostgreSQL walks every comment the author ever wrote (22,000 held ones: 1.9 ms per post).
            # Partial, so held and rejected comments never update it.
            models.Index(
                fields=["author"], condition=Q(status="approved"), name="comment_author_approved_idx"
            ),
            # The duplicate-text check: the same text posted since a moment.
            models.Index(fields=["body_digest", "created_at"], name="comment_digest_idx"),
            # The first page of a thread list, as readers without a comment of their own see it, newest or
            # oldest first: read in order from these instead of sorting every thread of the article (37,000
            # threads: 100 ms of PostgreSQL per page rendered, and a busy story's page is rendered again
            # after every burst of comments). Partial: replies, held and hidden comments stay out.
            models.Index(
                fields=["article", "-is_featured", "-created_at", "-id"],
                condition=PUBLIC_THREAD,
                name="comment_threads_newest_idx",
            ),
            models.Index(
                fields=["article", "-is_featured", "created_at", "id"],
                condition=PUBLIC_THREAD,
                name="comment_threads_oldest_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(depth__gte=0), name="comment_depth_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_name} on {self.article_id}"

    def save(self, *args, **kwargs) -> None:
        self.body_digest = body_digest(self.body_source)
        update_fields = kwargs.get("update_fields")
        if (
            update_fields is not None
            and "body_source" in update_fields
            and "body_digest" not in update_fields
        ):
            kwargs["update_fields"] = [*update_fields, "body_digest"]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def author_name(self) -> str:
        if self.author_id is not None:
            return self.author.public_name
        return self.guest_name or "Former reader"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED and not self.is_removed and not self.is_shadowed

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.PENDING

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        """Django's INSERT for a new comment, with the statement written once per process (see
        `precomposed_insert`); anything else goes the ORM's way."""
        if not raw:
            inserted = precomposed_insert(self, using=using, fields=fields, returning_fields=returning_fields)
            if inserted is not None:
                return inserted
        return super()._do_insert(manager, using, fields, returning_fields, raw)


class CommentLike(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="one_like_per_reader")]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.comment_id}"


class CommentReport(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abuse or harassment"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comment_reports"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    text = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_reader")]

    def __str__(self) -> str:
        return f"Report on {self.comment_id}: {self.reason}"
