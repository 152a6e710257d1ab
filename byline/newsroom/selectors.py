"""Reads for reader-facing pages. Every listing goes through `Article.objects.live()`: drafts leak nowhere."""

from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404

from byline.core.conf import byline_setting
from byline.core.errors import NotFound
from byline.journalists.models import Journalist
from byline.newsroom.models import Article, ArticleNote, Byline, Section, Tag
from byline.newsroom.signal_handlers import NAV_CACHE_KEY


@dataclass(frozen=True)
class NavSection:
    name: str
    url: str


def navigation_sections() -> list[NavSection]:
    sections = cache.get(NAV_CACHE_KEY)
    if sections is None:
        sections = [NavSection(s.name, s.get_absolute_url()) for s in Section.objects.all()]
        cache.set(NAV_CACHE_KEY, sections, 3600)
    return sections


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
