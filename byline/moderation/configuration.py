"""Writes for the moderators' configuration: word lists, site-wide and per-article settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from byline.core.errors import InvalidInput, NotFound
from byline.moderation import wordlists
from byline.moderation.models import (
    ArticleModerationSettings,
    ModerationMode,
    SiteModerationSettings,
    WordListEntry,
)
from byline.moderation.services import require_moderator


@transaction.atomic
def wordlist_entry_add(
    *, term: str, list_name: str, category: str, moderator, note: str = ""
) -> WordListEntry:
    require_moderator(moderator)
    folded = wordlists.normalise_term(term)
    if not folded.lstrip("~").rstrip("*").strip():
        raise InvalidInput("Type a word or a phrase.", field="term")
    entry = WordListEntry.objects.filter(term=folded, list_name=list_name).first() or WordListEntry(
        term=folded, list_name=list_name
    )
    entry.category, entry.is_active, entry.note, entry.created_by = category, True, note, moderator
    try:
        entry.full_clean()
    except ValidationError as exc:
        raise InvalidInput("; ".join(exc.messages), field="term") from None
    entry.save()
    transaction.on_commit(wordlists.wordlists_changed)
    return entry


@transaction.atomic
def wordlist_entry_remove(*, entry_id: int, moderator) -> None:
    require_moderator(moderator)
    updated = WordListEntry.objects.filter(pk=entry_id).update(is_active=False)
    if not updated:
        raise NotFound("That entry does not exist.")
    transaction.on_commit(wordlists.wordlists_changed)


@transaction.atomic
def site_settings_update(*, moderator, **values) -> SiteModerationSettings:
    require_moderator(moderator)
    row, _ = SiteModerationSettings.objects.select_for_update().get_or_create(pk=1)
    for name in ("mode", "hold_threshold", "nudge_threshold", "max_links", "trust_after"):
        if name in values:
            setattr(row, name, values[name])
    for name in ("hold_threshold", "nudge_threshold"):
        value = getattr(row, name)
        if value is not None and not 0 <= value <= 1:
            raise InvalidInput("Thresholds are between 0 and 1.", field=name)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def article_mode_set(*, article, mode: str, moderator) -> ArticleModerationSettings:
    require_moderator(moderator)
    if mode and mode not in ModerationMode.values:
        raise InvalidInput("Unknown moderation mode.", field="mode")
    row, _ = ArticleModerationSettings.objects.get_or_create(article=article)
    row.mode = mode
    row.full_clean()
    row.save()
    return row
