"""Every payload of the hostile corpus, stored through the real models, services, forms and endpoints,
comes back out of every page as text: nothing in the HTML could run (judged by tests/htmlcheck.py)."""

import pytest
from django.urls import reverse

from byline.comments.models import Comment
from byline.funding.models import Contribution
from byline.journalists.models import Journalist
from byline.newsroom.models import Article
from tests.factories import ArticleFactory, SectionFactory, UserFactory
from tests.htmlcheck import executable_parts
from tests.security import hostile_site
from tests.security.conftest import WEBHOOK_SECRET
from tests.security.corpus import new_executable_parts

pytestmark = pytest.mark.django_db
APPROVE_ALL = "byline.comments.policy.approve_all"


@pytest.fixture
def baseline(client, open_limits, stripe_settings):
    urls = hostile_site.build_baseline(webhook_secret=WEBHOOK_SECRET)
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[name] = response.content.decode()
    return pages


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_page_clean(client, url: str, baseline_html: str) -> None:
    found = new_executable_parts(page(client, url), baseline_html)
    assert not found, f"{url} renders something executable: {found}"


def test_the_corpus_is_large_and_varied(corpus):
    assert len(corpus) >= 150
    assert len(set(corpus)) == len(corpus)
    text = "\n".join(corpus).lower()
    for kind in ("<script", "onerror", "javascript:", "data:", "vbscript:", "<svg", "<math", "](", "{{7*7}}"):
        assert kind in text, kind


def test_article_bodies_headlines_and_bios_are_stored_and_shown_without_anything_executable(
    client, corpus, baseline
):
    site = hostile_site.HostileSite()
    section = SectionFactory(name="Hostile", slug="hostile")
    hostile_site.build_articles_and_bios(site, corpus, per_page=1, section=section)

    for article in Article.objects.filter(slug__startswith="hostile-story-"):
        assert executable_parts(article.body_html) == [], article.body_source
    for journalist in Journalist.objects.filter(slug__startswith="hostile-writer-"):
        assert executable_parts(journalist.bio_html) == [], journalist.bio_source
    for url in site.article_urls:
        assert_page_clean(client, url, baseline["article"])
    for url in site.journalist_urls:
        assert_page_clean(client, url, baseline["journalist"])
    assert_page_clean(client, section.get_absolute_url(), page(client, "/calm/"))


def test_comments_posted_through_the_form_are_stored_and_shown_without_anything_executable(
    client, corpus, baseline, settings
):
    settings.BYLINE_COMMENT_POLICY = APPROVE_ALL
    article = ArticleFactory(headline="Comments under attack")
    reader = UserFactory(display_name="Careful Reader")
    client.force_login(reader)
    post_url = reverse("comments:post", kwargs={"article_id": article.pk})
    calm = client.post(post_url, {"body": hostile_site.HARMLESS}, HTTP_ACCEPT="application/json")
    calm_fragment = calm.json()["html"]  # the reader's own comment comes with its edit/delete forms
    for payload in corpus:
        response = client.post(post_url, {"body": payload}, HTTP_ACCEPT="application/json")
        assert response.status_code in (200, 201), (payload, response.content[:300])
        assert not new_executable_parts(response.json().get("html", ""), calm_fragment), payload

    stored = Comment.objects.filter(article=article)
    assert stored.count() == 1 + len({p.strip() for p in corpus})
    for comment in stored:
        assert executable_parts(comment.body_html) == [], comment.body_source
    client.logout()
    assert_page_clean(client, article.get_absolute_url(), baseline["comments"])


def test_a_refused_comment_is_shown_back_to_its_author_as_text(client, corpus, baseline, settings):
    """Over the length limit the form comes back with the reader's text in it: still only text."""
    settings.BYLINE_COMMENT_MAX_LENGTH = 5
    article = ArticleFactory(headline="Refusals under attack")
    client.force_login(UserFactory(display_name="Careful Reader"))
    post_url = reverse("comments:post", kwargs={"article_id": article.pk})
    form_page = page(client, article.get_absolute_url())
    for payload in corpus:
        response = client.post(post_url, {"body": payload})
        assert response.status_code == 400, payload
        found = new_executable_parts(response.content.decode(), form_page)
        assert not found, (payload, found)


def test_display_names_are_refused_or_shown_as_text_everywhere(client, corpus, baseline):
    site = hostile_site.HostileSite()
    section = SectionFactory(name="Hostile", slug="hostile")
    hostile_site.build_display_names(site, corpus, section=section)

    assert site.profile_urls, "every hostile display name was refused; the pages were never tried"
    assert_page_clean(client, site.names_url, baseline["comments"])
    for url in site.profile_urls:
        assert_page_clean(client, url, baseline["profile"])


def test_the_sign_up_form_shows_a_hostile_display_name_back_as_text(client, corpus, open_limits):
    signup = reverse("accounts:signup")
    refused = client.post(signup, {"email": "calm@example.org", "display_name": "x", "password": "short"})
    assert refused.status_code == 400
    for number, payload in enumerate(corpus):
        response = client.post(
            signup,
            {"email": f"hostile{number}@example.org", "display_name": payload, "password": "short"},
        )
        found = new_executable_parts(response.content.decode(), refused.content.decode())
        assert not found, (payload, found)


def test_support_messages_and_supporter_names_are_shown_as_text(client, corpus, baseline, stripe_settings):
    site = hostile_site.HostileSite()
    hostile_site.build_support_messages(site, corpus, secret=WEBHOOK_SECRET)

    assert Contribution.objects.exclude(public_message="").count() >= len(corpus)
    for url in site.support_urls:
        assert_page_clean(client, url, baseline["support"])


def test_search_queries_and_their_results_are_shown_as_text(client, corpus, baseline, settings):
    settings.BYLINE_SEARCH_RATE_PER_MINUTE = 0  # every payload is searched from one address: no limit here
    site = hostile_site.HostileSite()
    section = SectionFactory(name="Hostile", slug="hostile")
    hostile_site.build_articles_and_bios(site, corpus[:40], per_page=1, section=section)
    hostile_site.build_searches(site, corpus)
    for url in site.search_urls:
        assert_page_clean(client, url, baseline["search"])
