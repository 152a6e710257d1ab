"""schema.org JSON-LD and social-card metadata, built as plain dicts (rendered by the `ld_json` filter).

Search engines read these; nothing here is HTML. Every URL is absolute (BYLINE_SITE_URL).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.templatetags.static import static

from byline.core.conf import byline_setting
from byline.journalists.models import Journalist
from byline.newsroom.feeds import article_modified_at
from byline.newsroom.links import absolute_url, site_url
from byline.newsroom.models import Article, ArticleNote


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def language_tag() -> str:
    """The site's language as a BCP 47 tag (`en-ca` → `en-CA`)."""
    language, _, region = settings.LANGUAGE_CODE.partition("-")
    return f"{language}-{region.upper()}" if region else language


def publisher() -> dict[str, Any]:
    logo = byline_setting("BYLINE_PUBLISHER_LOGO_URL") or absolute_url(static("img/favicon.svg"))
    return {
        "@type": "NewsMediaOrganization",
        "name": byline_setting("BYLINE_SITE_NAME"),
        "url": site_url() + "/",
        "logo": {"@type": "ImageObject", "url": logo},
    }


def person(journalist: Journalist) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "Person",
        "name": journalist.name,
        "url": absolute_url(journalist.get_absolute_url()),
    }
    if journalist.role:
        data["jobTitle"] = journalist.role
    if journalist.photo:
        data["image"] = absolute_url(journalist.photo.url)
    return data


def journalist_jsonld(journalist: Journalist) -> dict[str, Any]:
    """`Person` for a journalist's page, with their links as `sameAs` (links are prefetched)."""
    data = {"@context": "https://schema.org", **person(journalist)}
    links = [link.url for link in journalist.links.all()]
    if links:
        data["sameAs"] = links
    data["worksFor"] = {"@type": "NewsMediaOrganization", "name": byline_setting("BYLINE_SITE_NAME")}
    return data


def breadcrumbs(trail: list[tuple[str, str]]) -> dict[str, Any]:
    """`BreadcrumbList` from (name, path) pairs, home first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": absolute_url(path)}
            for index, (name, path) in enumerate(trail, start=1)
        ],
    }


def article_jsonld(article: Article) -> dict[str, Any]:
    """`NewsArticle` for the article page. Bylines, tags and notes must be prefetched."""
    url = absolute_url(article.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.standfirst,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(article_modified_at(article)),
        "author": [person(byline.journalist) for byline in article.bylines.all()],
        "publisher": publisher(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "wordCount": article.word_count,
        "isAccessibleForFree": True,
        "inLanguage": language_tag(),
    }
    if article.hero_image:
        image: dict[str, Any] = {"@type": "ImageObject", "url": absolute_url(article.hero_image.url)}
        if article.hero_width and article.hero_height:
            image.update(width=article.hero_width, height=article.hero_height)
        if article.hero_caption:
            image["caption"] = article.hero_caption
        data["image"] = [image]
    corrections = [note for note in article.notes.all() if note.kind != ArticleNote.Kind.UPDATE]
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": f"{note.get_kind_display()}: {note.text}",
                "datePublished": _iso(note.noted_at),
            }
            for note in corrections
        ]
    return data


@dataclass(frozen=True)
class SocialCard:
    """What OpenGraph and Twitter card tags say about a page."""

    title: str
    description: str
    url: str
    kind: str = "website"
    image: str = ""
    image_alt: str = ""
    published_at: str | None = None
    modified_at: str | None = None
    section: str = ""
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"

    @property
    def twitter_site(self) -> str:
        return byline_setting("BYLINE_TWITTER_SITE")

    @property
    def locale(self) -> str:
        """OpenGraph's form of the language: `en_CA`."""
        return language_tag().replace("-", "_")

    @property
    def site_name(self) -> str:
        return byline_setting("BYLINE_SITE_NAME")


def article_card(article: Article) -> SocialCard:
    return SocialCard(
        title=article.headline,
        description=article.standfirst,
        url=absolute_url(article.get_absolute_url()),
        kind="article",
        image=absolute_url(article.hero_image.url) if article.hero_image else "",
        image_alt=article.hero_alt,
        published_at=_iso(article.published_at),
        modified_at=_iso(article_modified_at(article)),
        section=article.section.name,
        authors=tuple(absolute_url(b.journalist.get_absolute_url()) for b in article.bylines.all()),
        tags=tuple(tag.name for tag in article.tags.all()),
    )
