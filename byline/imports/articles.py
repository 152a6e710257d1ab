"""Writing the newsroom side of an import: journalists, sections, tags, articles and their old addresses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.urls import Resolver404, resolve

from byline.imports.base import one_line, unique_slug
from byline.imports.html import article_body_source
from byline.imports.identities import IdentityMap, Kind, fingerprint
from byline.imports.report import ImportReport
from byline.journalists.models import Journalist
from byline.newsroom.models import RESERVED_SLUGS, Article, ArticleRedirect, Byline, Section, Tag

STANDFIRST_MAX = Article._meta.get_field("standfirst").max_length
HEADLINE_MAX = Article._meta.get_field("headline").max_length


@dataclass
class AuthorRecord:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        # WordPress fills the display name with the login when nobody set one; a real name is better.
        shown = self.display_name if self.display_name.strip() != self.login else ""
        return one_line(shown or full or self.login, 120)


@dataclass
class PostRecord:
    post_id: str
    title: str
    content: str
    excerpt: str
    status: str  # an Article.Status value
    published_at: datetime | None
    comments_open: bool
    slug: str
    author_login: str
    section_key: str  # the category nicename
    tag_names: list[str] = field(default_factory=list)
    old_paths: list[str] = field(default_factory=list)
    where: str = ""

    def fingerprint(self) -> str:
        return fingerprint(
            self.title,
            self.content,
            self.excerpt,
            self.status,
            self.published_at,
            self.comments_open,
            self.slug,
            self.author_login,
            self.section_key,
            sorted(self.tag_names),
            sorted(self.old_paths),
        )


class NewsroomWriter:
    def __init__(self, *, identities: IdentityMap, report: ImportReport):
        self.identities = identities
        self.report = report

    # Journalists ---------------------------------------------------------------------------------------

    def journalist(self, author: AuthorRecord, *, declared: bool = True) -> int:
        """The journalist for a WordPress login: imported before, else matched by login, then email."""
        known = self.identities.get(Kind.AUTHOR, author.login)
        if known and Journalist.objects.filter(pk=known.object_id).exists():
            self.report.add("unchanged", "journalist")
            return known.object_id
        match = Journalist.objects.filter(user__username__iexact=author.login).first()
        if match is None and author.email:
            match = Journalist.objects.filter(
                Q(email__iexact=author.email) | Q(user__email__iexact=author.email)
            ).first()
        if match is not None:
            self.report.add("unchanged", "journalist")
            self.report.note(
                "journalist", "matched to an existing journalist", f"{author.login} → {match.name}"
            )
        else:
            match = Journalist(
                name=author.name,
                slug=unique_slug(
                    author.login,
                    lambda s: Journalist.objects.filter(slug=s).exists(),
                    max_length=120,
                    fallback="journalist",
                ),
                email=author.email if "@" in author.email else "",
            )
            match.full_clean()
            match.save()
            self.report.add("created", "journalist")
            if not declared:
                self.report.note(
                    "journalist",
                    "author not declared in the export; created from the post's login",
                    author.login,
                )
        self.identities.remember(Kind.AUTHOR, author.login, match.pk)
        return match.pk

    # Sections and tags -----------------------------------------------------------------------------------

    def section(self, *, key: str, name: str, declared: bool = True) -> int:
        known = self.identities.get(Kind.CATEGORY, key)
        if known and Section.objects.filter(pk=known.object_id).exists():
            self.report.add("unchanged", "section")
            return known.object_id
        name = one_line(name or key, 80) or "Uncategorized"
        slug_base = unique_slug(key or name, lambda s: False, max_length=80, fallback="section")
        match = Section.objects.filter(Q(slug=slug_base) | Q(name__iexact=name)).first()
        if match is not None:
            self.report.add("unchanged", "section")
        else:
            if slug_base in RESERVED_SLUGS:
                self.report.note(
                    "section", "slug is used by the site itself; renamed", f"{slug_base} → {slug_base}-news"
                )
                slug_base = f"{slug_base}-news"
            match = Section(
                name=_free_name(Section, name),
                slug=unique_slug(
                    slug_base,
                    lambda s: Section.objects.filter(slug=s).exists(),
                    max_length=80,
                    fallback="section",
                ),
            )
            match.full_clean()
            match.save()
            self.report.add("created", "section")
            if not declared:
                self.report.note("section", "category not declared in the export; created from the post", key)
        self.identities.remember(Kind.CATEGORY, key, match.pk)
        return match.pk

    def tag(self, *, key: str, name: str) -> int:
        known = self.identities.get(Kind.TAG, key)
        if known and Tag.objects.filter(pk=known.object_id).exists():
            self.report.add("unchanged", "tag")
            return known.object_id
        name = one_line(name or key, 80)
        slug_base = unique_slug(key or name, lambda s: False, max_length=80, fallback="tag")
        match = Tag.objects.filter(Q(slug=slug_base) | Q(name__iexact=name)).first()
        if match is not None:
            self.report.add("unchanged", "tag")
        else:
            match = Tag(
                name=_free_name(Tag, name),
                slug=unique_slug(
                    slug_base, lambda s: Tag.objects.filter(slug=s).exists(), max_length=80, fallback="tag"
                ),
            )
            match.full_clean()
            match.save()
            self.report.add("created", "tag")
        self.identities.remember(Kind.TAG, key, match.pk)
        return match.pk

    # Articles ------------------------------------------------------------------------------------------

    def article(
        self, post: PostRecord, *, section_id: int, journalist_id: int, tag_ids: list[int]
    ) -> int | None:
        """Create or update the article for a post; None when it was deleted in Byline after an import."""
        print_ = post.fingerprint()
        known = self.identities.get(Kind.POST, post.post_id)
        if known is not None:
            article = Article.objects.filter(pk=known.object_id).select_related("section").first()
            if article is None:
                self.report.skip(
                    "article", "imported before, since deleted in Byline; not recreated", post.where
                )
                return None
            if known.fingerprint == print_:
                self.report.add("unchanged", "article")
                return article.pk
            outcome = "updated"
        else:
            article, outcome = Article(), "created"
        self._fill(article, post, section_id=section_id)
        # `_fill` chose a slug free in its section; the constraint queries would only repeat that.
        article.full_clean(validate_constraints=False)
        article.save()
        if outcome == "created":
            if tag_ids:
                article.tags.add(*tag_ids)
        else:
            article.tags.set(tag_ids)
        if not article.bylines.filter(journalist_id=journalist_id).exists():
            article.bylines.all().delete()
            Byline.objects.create(article=article, journalist_id=journalist_id, position=0)
        self._redirects(article, post)
        self.identities.remember(Kind.POST, post.post_id, article.pk, print_)
        self.report.add(outcome, "article")
        return article.pk

    def _fill(self, article: Article, post: PostRecord, *, section_id: int) -> None:
        headline = one_line(post.title, HEADLINE_MAX)
        if not headline:
            headline = f"Untitled (WordPress post {post.post_id})"
            self.report.note("article", "post has no title; headline made from its id", post.where)
        standfirst = one_line(_plain(post.excerpt), 10_000)
        if len(standfirst) > STANDFIRST_MAX:
            self.report.note(
                "article", f"excerpt longer than {STANDFIRST_MAX} characters; shortened", post.where
            )
            standfirst = standfirst[: STANDFIRST_MAX - 1].rsplit(" ", 1)[0] + "…"
        article.headline = headline
        article.standfirst = standfirst
        article.body_source = article_body_source(post.content)
        article.section_id = section_id
        article.status = post.status
        article.published_at = post.published_at
        article.comments_open = post.comments_open
        if not article.slug or article.section_id != section_id:
            article.slug = unique_slug(
                post.slug or post.title,
                lambda s: (
                    Article.objects.filter(section_id=section_id, slug=s).exclude(pk=article.pk).exists()
                ),
                max_length=200,
                fallback=f"post-{post.post_id}",
            )

    def _redirects(self, article: Article, post: PostRecord) -> None:
        new_path = article.get_absolute_url()
        paths = [path for path in post.old_paths if path != new_path and len(path) <= 500]
        existing = dict(
            ArticleRedirect.objects.filter(old_path__in=paths).values_list("old_path", "article_id")
        )
        created = []
        for old_path in paths:
            if old_path in existing:
                if existing[old_path] != article.pk:
                    self.report.skip("redirect", "old address already redirects to another article", old_path)
                else:
                    self.report.add("unchanged", "redirect")
            elif _is_live_address(old_path):
                self.report.skip("redirect", "old address is a page of this site; not redirected", old_path)
            else:
                created.append(ArticleRedirect(old_path=old_path, article=article))
        ArticleRedirect.objects.bulk_create(created)
        self.report.add("created", "redirect", len(created))


def _free_name(model, name: str) -> str:
    candidate, n = name, 2
    while model.objects.filter(name__iexact=candidate).exists():
        candidate = f"{name[:74]} ({n})"
        n += 1
    return candidate


def _plain(html: str) -> str:
    from byline.core.text import plain_text

    return plain_text(html or "")


def _is_live_address(path: str) -> bool:
    """True when Byline itself answers that path (a redirect there would never be used)."""
    if "?" in path:
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.url_name in {"article", "section", "tag"}:
        # /<section>/<slug>/ patterns match any two segments; only real objects count.
        kwargs = match.kwargs
        if match.url_name == "article":
            return Article.objects.filter(section__slug=kwargs["section"], slug=kwargs["slug"]).exists()
        if match.url_name == "section":
            return Section.objects.filter(slug=kwargs["section"]).exists()
        return Tag.objects.filter(slug=kwargs["slug"]).exists()
    return True
