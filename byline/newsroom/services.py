"""Writes for the newsroom's discovery features: revisions, notes' effect on the article, preview links."""

from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import Max

from byline.core.errors import InvalidInput
from byline.journalists.models import Journalist
from byline.newsroom.models import Article, ArticleRevision, Byline, Section, Tag

# Fields a revision restores. Publishing state (status, published_at) is left as it is: restoring old words
# must not unpublish or republish a story.
CONTENT_FIELDS = (
    "headline",
    "standfirst",
    "slug",
    "body_source",
    "hero_alt",
    "hero_caption",
    "hero_credit",
    "comments_open",
)
PREVIEW_SALT = "byline.newsroom.preview-link"


def article_snapshot(article: Article) -> dict[str, Any]:
    """The article as a JSON-able dict: content, section, tags and byline (ids to restore, names to read)."""
    bylines = list(
        Byline.objects.filter(article=article).select_related("journalist").order_by("position", "id")
    )
    tags = list(article.tags.order_by("name"))
    return {
        **{name: getattr(article, name) for name in CONTENT_FIELDS},
        "status": article.status,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "section_id": article.section_id,
        "section": article.section.name,
        "tag_ids": [tag.pk for tag in tags],
        "tags": ", ".join(tag.name for tag in tags),
        "journalist_ids": [b.journalist_id for b in bylines],
        "journalists": ", ".join(b.journalist.name for b in bylines),
    }


@transaction.atomic
def revision_record(*, article: Article, user=None, summary: str = "") -> ArticleRevision:
    """Keep what the article looks like now as its next revision."""
    # Lock the article row so two saves at once cannot take the same number.
    Article.objects.select_for_update().filter(pk=article.pk).first()
    last = ArticleRevision.objects.filter(article=article).aggregate(n=Max("number"))["n"] or 0
    revision = ArticleRevision(
        article=article,
        number=last + 1,
        created_by=user if getattr(user, "pk", None) else None,
        snapshot=article_snapshot(article),
        summary=summary[:200],
    )
    revision.full_clean()
    revision.save()
    return revision


@transaction.atomic
def revision_restore(*, article: Article, revision: ArticleRevision, user=None) -> Article:
    """Put an earlier revision's words, section, tags and byline back; the restore is a new revision."""
    if revision.article_id != article.pk:
        raise InvalidInput("That revision belongs to another article.")
    snapshot = revision.snapshot
    for name in CONTENT_FIELDS:
        if name in snapshot:
            setattr(article, name, snapshot[name])
    if Section.objects.filter(pk=snapshot.get("section_id")).exists():
        article.section_id = snapshot["section_id"]
    article._revision_deferred = True  # recorded below, once tags and byline are back too
    try:
        article.full_clean()
    except Exception as error:  # a slug taken since, say: tell the editor instead of failing
        raise InvalidInput(f"Revision {revision.number} cannot be restored as it is: {error}") from error
    article.save()
    article.tags.set(Tag.objects.filter(pk__in=snapshot.get("tag_ids", [])))
    existing = set(
        Journalist.objects.filter(pk__in=snapshot.get("journalist_ids", [])).values_list("pk", flat=True)
    )
    journalist_ids = [pk for pk in snapshot.get("journalist_ids", []) if pk in existing]
    if journalist_ids:
        Byline.objects.filter(article=article).exclude(journalist_id__in=journalist_ids).delete()
        for position, journalist_id in enumerate(journalist_ids):
            Byline.objects.update_or_create(
                article=article, journalist_id=journalist_id, defaults={"position": position}
            )
    revision_record(article=article, user=user, summary=f"Restored revision {revision.number}")
    return article


def article_touch(*, article_id: int) -> None:
    """Mark the article modified now (a note was added or changed).

    A real save of `updated_at` only, not `.update()`: the page cache listens to saves to invalidate the
    article's pages, while our own handlers skip revisions and re-indexing for a save this narrow.
    """
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        article.save(update_fields=["updated_at"])


def preview_token_make(*, article: Article) -> str:
    """A signed, shareable token for one article's preview; it expires after BYLINE_PREVIEW_LINK_MAX_AGE."""
    return signing.dumps({"article": article.pk}, salt=PREVIEW_SALT, compress=True)
