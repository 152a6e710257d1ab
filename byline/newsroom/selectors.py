"""Reads for reader-facing pages. Every listing goes through `Article.objects.live()`: drafts leak nowhere."""

import logging
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404

from byline.core.cache import new_token
from byline.core.conf import byline_setting
from byline.core.errors import NotFound
from byline.journalists.models import Journalist
from byline.newsroom.models import Article, ArticleNote, Byline, Section, Tag
from byline.newsroom.signal_handlers import NAV_CACHE_KEY

logger = logging.getLogger("byline.newsroom.selectors")


@dataclass(frozen=True)
class NavSection:
    name: str
    url: str


# The navigation's version token (`forget_navigation` replaces it whenever a section changes) and the
# sections kept under it. A new key for them: a release before this one keeps a bare list at NAV_CACHE_KEY.
NAV_VERSION_KEY = f"{NAV_CACHE_KEY}:version"
NAV_ENTRY_KEY = f"{NAV_CACHE_KEY}:entry"
# (version, sections) this worker read last: reused while the token is unchanged.
_nav_in_worker: tuple[str | None, tuple[NavSection, ...]] = (None, ())


def navigation_sections(*, version: str | None = None) -> tuple[NavSection, ...]:
    """The sections in the site's header, in editorial order.

    Kept in the shared cache and in this worker under a version token that every change to a section
    replaces, at once and again after commit; the token is read before the sections are, so sections read
    while a change was committing are never kept under the token that follows it. `version` is the token
    (`NAV_VERSION_KEY`) when the caller has just read it in a round trip of its own.
    """
    global _nav_in_worker
    try:
        if version is None:
            version = cache.get(NAV_VERSION_KEY)
        if version is not None and _nav_in_worker[0] == version:
            return _nav_in_worker[1]
        entry = cache.get(NAV_ENTRY_KEY) if version is not None else None
        if isinstance(entry, dict) and entry["version"] == version:
            sections = entry["sections"]
        else:
            if version is None:
                cache.add(NAV_VERSION_KEY, new_token(), timeout=None)
                version = cache.get(NAV_VERSION_KEY)
            sections = _sections_for_navigation()
            cache.set(NAV_ENTRY_KEY, {"version": version, "sections": sections}, 3600)
    except Exception:  # the shared cache is down: read them, as the page cache renders live
        logger.exception("Cache unreachable; reading the navigation from the database.")
        return _sections_for_navigation()
    if version is not None:
        _nav_in_worker = (version, sections)
    return sections


def _sections_for_navigation() -> tuple[NavSection, ...]:
    return tuple(NavSection(s.name, s.get_absolute_url()) for s in Section.objects.all())


def live_articles():
    return Article.objects.live().for_listing()


def paginate(queryset, page_number: str | int | None) -> Page:
    paginator = Paginator(queryset, byline_setting("BYLINE_PAGE_SIZE"))
    return paginator.get_page(page_number)


@dataclass
class SectionBlock:
    section: Section
    articles: list[Article]


def home_sections() -> list[SectionBlock]:
    """The latest live articles of every section, sections in editorial order; empty sections left out."""
    per_section = byline_setting("BYLINE_HOME_PER_SECTION")
    sections = list(Section.objects.all())
    # One query for the candidates: the newest N per section, taken from a bounded window of recent articles.
    recent = list(live_articles()[: per_section * max(len(sections), 1) * 4])
    blocks = []
    for section in sections:
        articles = [a for a in recent if a.section_id == section.pk][:per_section]
        if len(articles) < per_section:
            articles = list(live_articles().filter(section=section)[:per_section])
        if articles:
            blocks.append(SectionBlock(section, articles))
    return blocks


def section_get(*, slug: str) -> Section:
    try:
        return Section.objects.get(slug=slug)
    except Section.DoesNotExist:
        raise Http404("No such section") from None


def tag_get(*, slug: str) -> Tag:
    try:
        return Tag.objects.get(slug=slug)
    except Tag.DoesNotExist:
        raise Http404("No such tag") from None


def section_articles(*, section: Section, page: str | None) -> Page:
    return paginate(live_articles().filter(section=section), page)


def tag_articles(*, tag: Tag, page: str | None) -> Page:
    return paginate(live_articles().filter(tags=tag), page)


def journalist_articles(*, journalist: Journalist, page: str | None) -> Page:
    return paginate(live_articles().filter(bylines__journalist=journalist), page)


def article_for_reader(*, section_slug: str, slug: str) -> Article:
    """The live article at /<section>/<slug>/, with everything its page shows, or 404."""
    queryset = (
        Article.objects.live()
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("journalist").prefetch_related("journalist__links"),
            ),
            "tags",
            "notes",
        )
    )
    try:
        return queryset.get(section__slug=section_slug, slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such article") from None


def article_for_preview(*, pk: int) -> Article:
    queryset = Article.objects.select_related("section").prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("journalist")), "tags", "notes"
    )
    try:
        return queryset.get(pk=pk)
    except Article.DoesNotExist:
        raise Http404("No such article") from None


def related_articles(*, article: Article, limit: int | None = None) -> list[Article]:
    """Live articles sharing the most tags with this one, then others from its section; newest first within.

    One query for the candidates plus the byline prefetch, whatever the number of tags (the article's own tags
    are expected to be prefetched).
    """
    limit = limit or byline_setting("BYLINE_RELATED_ARTICLES")
    tag_ids = [tag.pk for tag in article.tags.all()]
    relevance = Q(section_id=article.section_id)
    if tag_ids:
        relevance |= Q(tags__in=tag_ids)
    candidates = (
        Article.objects.live()
        .filter(relevance)
        .exclude(pk=article.pk)
        .annotate(
            shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True) if tag_ids else Value(0),
            same_section=Case(
                When(section_id=article.section_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("-shared_tags", "-same_section", "-published_at", "-id")
        .for_listing()
    )
    return list(candidates[:limit])


def corrections_page(*, page: str | None) -> Page:
    """Notes on live articles, newest first, for /corrections/."""
    notes = (
        ArticleNote.objects.filter(article__in=Article.objects.live())
        .select_related("article__section")
        .order_by("-noted_at", "-id")
    )
    return paginate(notes, page)


def search_filter_choices() -> tuple[list[Section], list[Journalist]]:
    """Sections, and journalists with at least one live article, for the search form's filters."""
    journalists = (
        Journalist.objects.filter(bylines__article__in=Article.objects.live()).distinct().order_by("name")
    )
    return list(Section.objects.all()), list(journalists)


class PreviewLinkExpired(NotFound):
    status = 410
    code = "preview_expired"
    default_message = "This preview link has expired. Ask the newsroom for a new one."


def article_for_shared_preview(*, token: str) -> Article:
    """The article a signed preview link names, whatever its state; expired or forged links are refused."""
    from byline.newsroom.services import PREVIEW_SALT

    try:
        data = signing.loads(token, salt=PREVIEW_SALT, max_age=byline_setting("BYLINE_PREVIEW_LINK_MAX_AGE"))
    except signing.SignatureExpired:
        raise PreviewLinkExpired() from None
    except signing.BadSignature:
        raise Http404("Bad preview link") from None
    if not isinstance(data, dict) or not isinstance(data.get("article"), int):
        raise Http404("Bad preview link")
    return article_for_preview(pk=data["article"])
