"""Fill a database with the hostile corpus, through the same models, services and endpoints readers and
editors use, and return the pages where the payloads show. Shared by the HTML and browser tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse

from byline.accounts.services import user_update_profile
from byline.comments.services import post_comment
from byline.core.errors import BylineError
from byline.journalists.models import Journalist
from byline.newsroom.models import Article, Byline
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, UserFactory
from tests.security.corpus import webhook_delivery

HARMLESS = "A plain sentence about the harbour, the council and the weather."


@dataclass
class HostileSite:
    article_urls: list[str] = field(default_factory=list)
    journalist_urls: list[str] = field(default_factory=list)
    comments_url: str = ""
    names_url: str = ""
    profile_urls: list[str] = field(default_factory=list)
    support_urls: list[str] = field(default_factory=list)
    search_urls: list[str] = field(default_factory=list)
    listing_urls: list[str] = field(default_factory=list)
    refused_names: list[str] = field(default_factory=list)

    def all_urls(self) -> list[str]:
        return [
            *self.listing_urls,
            *self.article_urls,
            *self.journalist_urls,
            self.comments_url,
            self.names_url,
            *self.profile_urls,
            *self.support_urls,
            *self.search_urls,
        ]


def chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def build_articles_and_bios(site: HostileSite, corpus: list[str], *, per_page: int, section) -> None:
    """Article bodies, headlines, standfirsts, journalist names and bios: editors' input, through the
    models' validation and save (which renders and sanitises the Markdown)."""
    for number, group in enumerate(chunks(corpus, per_page)):
        journalist = Journalist(
            name=group[0][:120],
            slug=f"hostile-writer-{number}",
            role=group[-1][:120],
            bio_source="\n\n".join(group),
            accepts_support=True,
        )
        journalist.full_clean()
        journalist.save()
        article = Article(
            section=section,
            headline=group[0][:250],
            slug=f"hostile-story-{number}",
            standfirst=group[-1][:400],
            body_source="\n\n".join(group),
            status=Article.Status.PUBLISHED,
            published_at=ArticleFactory.published_at.function(),
        )
        article.full_clean()
        article.save()
        Byline.objects.create(article=article, journalist=journalist, position=0)
        site.article_urls.append(article.get_absolute_url())
        site.journalist_urls.append(journalist.get_absolute_url())


def build_comments(site: HostileSite, corpus: list[str], *, section) -> None:
    """Every payload as a comment, through the comments service."""
    article = ArticleFactory(section=section, headline="Comments under attack", slug="comments-under-attack")
    author = UserFactory(display_name="Careful Reader")
    for payload in corpus:
        post_comment(author=author, article=article, body_source=payload, ip_address="203.0.113.7")
    site.comments_url = article.get_absolute_url()


def build_display_names(site: HostileSite, corpus: list[str], *, section) -> None:
    """Every payload (cut to the 40 characters a name may have) as a reader's display name, through the
    accounts service; each reader then comments, so the name shows under the article and on a profile."""
    article = ArticleFactory(section=section, headline="Names under attack", slug="names-under-attack")
    for number, payload in enumerate(corpus):
        reader = UserFactory(display_name=f"Namer {number}")
        try:
            user_update_profile(user=reader, display_name=payload[:40], notify_replies=False)
        except BylineError:
            site.refused_names.append(payload)
            continue
        post_comment(author=reader, article=article, body_source=f"Comment number {number}.")
        site.profile_urls.append(reverse("comments:profile", kwargs={"user_id": reader.pk}))
    site.names_url = article.get_absolute_url()


def build_support_messages(site: HostileSite, corpus: list[str], *, secret: str) -> None:
    """Every payload as a supporter's public message (and name), delivered as a signed Stripe webhook.
    A support page shows five messages, so each group of five goes to its own journalist."""
    client = Client()
    webhook = reverse("funding:stripe_webhook")
    for number, group in enumerate(chunks(corpus, 5)):
        journalist = JournalistFactory(slug=f"supported-writer-{number}", name=f"Supported Writer {number}")
        for offset, payload in enumerate(group):
            body, signature = webhook_delivery(
                secret=secret, message=payload, journalist_id=journalist.pk, number=number * 5 + offset
            )
            response = client.post(
                webhook, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
            )
            assert response.status_code == 200, response.content
        site.support_urls.append(reverse("funding:support_journalist", kwargs={"slug": journalist.slug}))


def build_searches(site: HostileSite, corpus: list[str]) -> None:
    search = reverse("newsroom:search")
    for payload in corpus:
        site.search_urls.append(f"{search}?{urlencode({'q': payload})}")
    # Results whose snippets come from the hostile bodies.
    for words in ("pwned", "document title", "script", "onerror"):
        site.search_urls.append(f"{search}?{urlencode({'q': words})}")


def build_hostile_site(corpus: list[str], *, per_page: int, webhook_secret: str) -> HostileSite:
    site = HostileSite()
    section = SectionFactory(name="Hostile", slug="hostile")
    build_articles_and_bios(site, corpus, per_page=per_page, section=section)
    build_comments(site, corpus, section=section)
    build_display_names(site, corpus, section=section)
    build_support_messages(site, corpus, secret=webhook_secret)
    build_searches(site, corpus)
    site.listing_urls = ["/", section.get_absolute_url(), reverse("funding:support_newsroom")]
    return site


def build_baseline(*, webhook_secret: str) -> dict[str, str]:
    """One harmless page of each kind, built the same way, for the oracle to compare against."""
    section = SectionFactory(name="Calm", slug="calm")
    journalist = JournalistFactory(slug="calm-writer", name="Calm Writer", bio_source=HARMLESS)
    article = ArticleFactory(
        section=section,
        slug="calm-story",
        headline="Calm story",
        body_source=HARMLESS,
        journalists=[journalist],
    )
    reader = UserFactory(display_name="Calm Reader")
    commented = ArticleFactory(section=section, slug="calm-comments", headline="Calm comments")
    post_comment(author=reader, article=commented, body_source=HARMLESS)
    supported = JournalistFactory(slug="calm-supported", name="Calm Supported")
    body, signature = webhook_delivery(
        secret=webhook_secret, message=HARMLESS, journalist_id=supported.pk, number=99999
    )
    Client().post(
        reverse("funding:stripe_webhook"), data=body, content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )
    return {
        "article": article.get_absolute_url(),
        "journalist": journalist.get_absolute_url(),
        "comments": commented.get_absolute_url(),
        "profile": reverse("comments:profile", kwargs={"user_id": reader.pk}),
        "support": reverse("funding:support_journalist", kwargs={"slug": supported.slug}),
        "search": reverse("newsroom:search") + "?q=harbour",
    }
