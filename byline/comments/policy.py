"""The moderation seam: posting asks the function named by BYLINE_COMMENT_POLICY for a verdict.

A policy is any callable `policy(draft: CommentDraft) -> PolicyDecision`, named by a dotted path and loaded
at call time (as Django loads authentication backends). The comments app ships `approve_all`; the moderation
app points the setting at its pipeline. This module must not import the moderation app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string

from byline.core.conf import byline_setting

if TYPE_CHECKING:
    from byline.accounts.models import User
    from byline.comments.models import Comment
    from byline.newsroom.models import Article


class Verdict(models.TextChoices):
    APPROVE = "approve", "Approve"
    HOLD = "hold", "Hold for review"
    REJECT = "reject", "Reject"


@dataclass
class CommentDraft:
    """What a reader is about to post (or, with `editing`, the new text of a comment they are editing).

    `body_text` is the plain text of the rendered body (what classifiers should read); `honeypot` is the
    content of the hidden field bots fill in; `confirmed_nudge` is True when the reader saw the policy's
    "are you sure?" nudge and posted anyway.
    """

    author: User | None
    article: Article
    parent: Comment | None
    body_source: str
    body_text: str
    body_html: str = ""
    ip_hash: str = ""
    honeypot: str = ""
    confirmed_nudge: bool = False
    editing: Comment | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class PolicyDecision:
    """A policy's answer. `reasons` is a list of {"check", "verdict", "reason", "score"} dicts, stored on the
    comment as `moderation_reasons`; `message_for_author` is shown to the reader on hold or reject. With
    `nudge`, the comment is not posted yet: the form comes back with the message and a "post anyway" box.
    """

    verdict: Verdict | str
    reasons: list[dict] = field(default_factory=list)
    toxicity_score: float | None = None
    message_for_author: str = ""
    nudge: bool = False


def approve_all(draft: CommentDraft) -> PolicyDecision:
    """The default policy until moderation is installed: every comment goes up."""
    return PolicyDecision(
        verdict=Verdict.APPROVE,
        reasons=[{"check": "default", "verdict": "approve", "reason": "no policy configured", "score": None}],
    )


def current_policy():
    dotted = byline_setting("BYLINE_COMMENT_POLICY")
    try:
        return import_string(dotted)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"BYLINE_COMMENT_POLICY={dotted!r} cannot be imported ({exc}). Name a function such as "
            "'byline.comments.policy.approve_all'."
        ) from exc


def decide(draft: CommentDraft) -> PolicyDecision:
    """Ask the configured policy about `draft`. A policy returning something else is a programming error."""
    decision = current_policy()(draft)
    if not isinstance(decision, PolicyDecision):
        raise ImproperlyConfigured(
            f"The comment policy {byline_setting('BYLINE_COMMENT_POLICY')!r} returned {decision!r}; "
            "it must return byline.comments.policy.PolicyDecision."
        )
    decision.verdict = Verdict(decision.verdict)
    return decision
