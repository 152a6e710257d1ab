"""Receivers wired in ModerationConfig.ready().

The comments app stores a new comment in one transaction and sends Django's model signals inside it, so the
policy's automatic decision is written to the audit log in that same transaction (post_save). A comment by a
shadow-banned author is marked shadowed before it is first saved (pre_save), so counters never see it.
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from byline.comments.models import Comment
from byline.moderation import services


@receiver(pre_save, sender=Comment, dispatch_uid="moderation_shadow_new_comment")
def shadow_new_comment(sender, instance: Comment, raw: bool = False, **kwargs) -> None:
    if raw or not instance._state.adding or instance.author_id is None:
        return
    author = instance.author if Comment.author.is_cached(instance) else None
    if services.author_is_shadow_banned(instance.author_id, author=author):
        instance.is_shadowed = True


@receiver(post_save, sender=Comment, dispatch_uid="moderation_log_policy_decision")
def log_policy_decision(
    sender, instance: Comment, created: bool, raw: bool = False, update_fields=None, **kwargs
) -> None:
    if raw:
        return
    services.record_policy_event(comment=instance, created=created, update_fields=update_fields)
