"""RSS 2.0, Atom and JSON Feed 1.1 for the whole site, each section, journalist and tag.

Built on django.contrib.syndication: one `Feed` subclass per subject, one generator per format. The stock
generators write a single author; ours write every co-author (`dc:creator` per author in RSS, an `<author>`
each in Atom, `authors` in JSON Feed), the full text as `content:encoded`/`<content>`, and update dates.
Every piece of text passes `xml_text` first: one control character would make the whole feed unreadable.
"""

import json
import mimetypes
import re
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed, rfc3339_date
from django.utils.html import format_html, format_html_join

from byline.core.conf import byline_setting
from byline.core.text import strip_control_chars
from byline.core.timefmt import format_date
from byline.journalists.selectors import journalist_get
from byline.newsroom import selectors
from byline.newsroom.links import absolute_url, site_host, site_url
from byline.newsroom.models import Article, ArticleNote

# XML 1.0 also forbids these two non-characters; strip_control_chars covers the C0 range.
_NON_CHARACTERS = re.compile("[\ufffe\uffff]")


def xml_text(value: str | None) -> str:
    return _NON_CHARACTERS.sub("", strip_control_chars(value or ""))


def article_modified_at(article: Article) -> datetime:
    """The later of the article's last save and its latest note (notes are prefetched, so no query)."""
    notes = list(article.notes.all())
    moments = [article.updated_at, article.published_at] + [note.noted_at for note in notes]
    return max(moment for moment in moments if moment is not None)


def notes_html(article: Article) -> str:
    notes = list(article.notes.all())
    if not notes:
        return ""
    rows = format_html_join(
        "",
        "<p><strong>{} ({})</strong>: {}</p>",
        ((note.get_kind_display(), format_date(note.noted_at), note.text) for note in notes),
    )
    return format_html("<aside><h2>Corrections and updates</h2>{}</aside>", rows)


def hero_enclosure(article: Article) -> Enclosure | None:
    if not article.hero_image:
        return None
    try:
        size = article.hero_image.size
    except OSError:  # the file went missing from storage: leave the enclosure out rather than lie
        return None
    mime_type = mimetypes.guess_type(article.hero_image.name)[0] or "application/octet-stream"
    return Enclosure(absolute_url(article.hero_image.url), str(size), mime_type)


class BylineRssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:dc"] = "http://purl.org/dc/elements/1.1/"
        attrs["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item.get("authors", []):
            handler.addQuickElement("dc:creator", name)
        if item.get("updateddate"):
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class BylineAtomFeed(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item.get("authors", []):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class JSONFeed(SyndicationFeed):
    """JSON Feed 1.1 (jsonfeed.org/version/1.1) from the same items the XML feeds get."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        data = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.feed["title"],
            "home_page_url": self.feed["link"],
            "feed_url": self.feed["feed_url"],
            "description": self.feed["description"],
            "language": self.feed["language"],
            "items": [self._item(item) for item in self.items],
        }
        outfile.write(json.dumps(data, ensure_ascii=False))

    @staticmethod
    def _item(item: dict) -> dict:
        entry = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "summary": item.get("summary_text", ""),
            "content_html": item.get("content_html") or item["description"],
            "date_published": rfc3339_date(item["pubdate"]),
            "date_modified": rfc3339_date(item["updateddate"]),
            "authors": [{"name": name, "url": url} for name, url in item.get("authors", [])],
            "tags": list(item["categories"]),
        }
        if item["enclosures"]:
            enclosure = item["enclosures"][0]
            entry["image"] = enclosure.url
            entry["attachments"] = [
                {
                    "url": enclosure.url,
                    "mime_type": enclosure.mime_type,
                    "size_in_bytes": int(enclosure.length),
                }
            ]
        return entry


class ArticleFeed(Feed):
    """The latest live articles of the whole site. Subclasses narrow `articles()` to one subject."""

    feed_type = BylineRssFeed
    url_name = "feeds:site_rss"

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj) -> str:
        return xml_text(byline_setting("BYLINE_SITE_NAME"))

    def description(self, obj) -> str:
        return xml_text(byline_setting("BYLINE_SITE_TAGLINE"))

    subtitle = description

    def link(self, obj) -> str:
        return site_url() + "/"

    def feed_url(self, obj) -> str:
        return absolute_url(reverse(self.url_name, kwargs=self.url_kwargs(obj)))

    def url_kwargs(self, obj) -> dict:
        return {}

    def feed_guid(self, obj) -> str:
        return self.feed_url(obj)

    def articles(self, obj):
        return selectors.live_articles()

    def items(self, obj) -> list[Article]:
        queryset = self.articles(obj).prefetch_related(
            "tags", Prefetch("notes", queryset=ArticleNote.objects.order_by("noted_at", "id"))
        )
        return list(queryset[: byline_setting("BYLINE_FEED_SIZE")])

    def item_title(self, item: Article) -> str:
        return xml_text(item.headline)

    def item_link(self, item: Article) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Article) -> str:
        # Stable across slug and section changes, unlike the link.
        return f"tag:{site_host()},{item.published_at:%Y-%m-%d}:article-{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item: Article) -> str:
        summary = format_html("<p>{}</p>", item.standfirst) if item.standfirst else ""
        return xml_text(summary + notes_html(item))

    def item_pubdate(self, item: Article) -> datetime:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime:
        return article_modified_at(item)

    def item_categories(self, item: Article) -> list[str]:
        return [xml_text(item.section.name)] + [xml_text(tag.name) for tag in item.tags.all()]

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        enclosure = hero_enclosure(item)
        return [enclosure] if enclosure else []

    def item_extra_kwargs(self, item: Article) -> dict:
        authors = [
            (xml_text(b.journalist.name), absolute_url(b.journalist.get_absolute_url()))
            for b in item.bylines.all()
        ]
        extra = {"authors": authors, "summary_text": xml_text(item.standfirst)}
        if byline_setting("BYLINE_FEED_FULL_TEXT"):
            extra["content_html"] = xml_text(item.body_html + notes_html(item))
        return extra


class ObjectArticleFeed(ArticleFeed):
    """The feed of one section, journalist or tag: named and linked after it."""

    def title(self, obj) -> str:
        return xml_text(f"{obj.name} · {byline_setting('BYLINE_SITE_NAME')}")

    def subtitle(self, obj) -> str:
        return self.description(obj)

    def link(self, obj) -> str:
        return absolute_url(obj.get_absolute_url())

    def url_kwargs(self, obj) -> dict:
        return {"slug": obj.slug}


class SectionArticleFeed(ObjectArticleFeed):
    url_name = "feeds:section_rss"

    def get_object(self, request, section: str):
        return selectors.section_get(slug=section)

    def description(self, obj) -> str:
        return xml_text(obj.description or f"The latest from {obj.name}.")

    def url_kwargs(self, obj) -> dict:
        return {"section": obj.slug}

    def articles(self, obj):
        return selectors.live_articles().filter(section=obj)


class JournalistArticleFeed(ObjectArticleFeed):
    url_name = "feeds:journalist_rss"

    def get_object(self, request, slug: str):
        return journalist_get(slug=slug)

    def description(self, obj) -> str:
        return xml_text(f"Articles by {obj.name}.")

    def articles(self, obj):
        return selectors.live_articles().filter(bylines__journalist=obj)


class TagArticleFeed(ObjectArticleFeed):
    url_name = "feeds:tag_rss"

    def get_object(self, request, slug: str):
        return selectors.tag_get(slug=slug)

    def description(self, obj) -> str:
        return xml_text(f"Articles tagged “{obj.name}”.")

    def articles(self, obj):
        return selectors.live_articles().filter(tags=obj)


def _atom(feed_class: type[ArticleFeed], url_name: str) -> type[ArticleFeed]:
    return type(
        f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": BylineAtomFeed, "url_name": url_name}
    )


SiteAtomFeed = _atom(ArticleFeed, "feeds:site_atom")
SectionAtomFeed = _atom(SectionArticleFeed, "feeds:section_atom")
JournalistAtomFeed = _atom(JournalistArticleFeed, "feeds:journalist_atom")
TagAtomFeed = _atom(TagArticleFeed, "feeds:tag_atom")


class SiteJSONFeed(ArticleFeed):
    feed_type = JSONFeed
    url_name = "feeds:site_json"
