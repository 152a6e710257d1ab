"""Drafts and scheduled articles stay invisible to readers everywhere until their time comes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from byline.newsroom.models import Article, ArticleRedirect
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def listing_urls(article: Article) -> list[str]:
    urls = ["/", article.section.get_absolute_url()]
    urls += [tag.get_absolute_url() for tag in article.tags.all()]
    urls += [journalist.get_absolute_url() for journalist in article.ordered_journalists]
    return urls


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_unpublished_article_is_invisible_on_its_url_and_in_every_listing(client, trait):
    tag = TagFactory()
    article = ArticleFactory(**{trait: True}, headline="Secret plans for the harbour")
    article.tags.add(tag)
    ArticleFactory(section=article.section, headline="A story readers may see")

    assert client.get(article.get_absolute_url()).status_code == 404
    for url in listing_urls(article):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Secret plans for the harbour" not in response.content.decode(), url


def test_scheduled_article_appears_by_itself_when_its_time_comes(client):
    article = ArticleFactory(scheduled=True, headline="Ferry timetable changes")
    assert client.get(article.get_absolute_url()).status_code == 404

    # Nothing runs in between: only the clock moves (here, the article's time is moved into the past).
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))

    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Ferry timetable changes" in client.get("/").content.decode()
    assert "Ferry timetable changes" in client.get(article.section.get_absolute_url()).content.decode()


def test_live_query_excludes_drafts_even_with_a_past_time():
    draft = ArticleFactory(draft=True)
    Article.objects.filter(pk=draft.pk).update(published_at=timezone.now() - timedelta(days=1))
    assert not Article.objects.live().filter(pk=draft.pk).exists()


def test_publishing_without_a_time_sets_it_to_now():
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)
    assert article.published_at is not None
    assert article.published_at <= timezone.now()


def test_changing_a_published_slug_keeps_the_old_url_working_with_a_301(client):
    article = ArticleFactory(slug="old-name")
    old_url = article.get_absolute_url()
    article.slug = "new-name"
    article.save()

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_moving_an_article_to_another_section_redirects_the_old_url(client):
    article = ArticleFactory()
    old_url = article.get_absolute_url()
    article.section = SectionFactory(slug="elsewhere", name="Elsewhere")
    article.save()

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/elsewhere/" + article.slug + "/"


def test_moving_back_to_an_old_address_does_not_redirect_to_itself(client):
    article = ArticleFactory(slug="first")
    article.slug = "second"
    article.save()
    article.slug = "first"
    article.save()

    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(f"/{article.section.slug}/second/").status_code == 301
    assert not ArticleRedirect.objects.filter(old_path=article.get_absolute_url()).exists()


def test_renaming_a_draft_leaves_no_redirect_behind():
    article = ArticleFactory(draft=True, slug="working-title")
    article.slug = "final-title"
    article.save()
    assert not ArticleRedirect.objects.exists()


def test_redirect_to_an_unpublished_article_is_a_404(client):
    article = ArticleFactory(slug="was-live")
    old_url = article.get_absolute_url()
    article.slug = "is-live"
    article.save()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    assert client.get(old_url).status_code == 404


def test_journalist_page_lists_only_their_published_articles_newest_first(client):
    journalist = JournalistFactory(name="Ana Ruiz")
    older = ArticleFactory(journalists=[journalist], headline="Older story",
                           published_at=timezone.now() - timedelta(days=3))
    newer = ArticleFactory(journalists=[journalist], headline="Newer story",
                           published_at=timezone.now() - timedelta(hours=2))
    ArticleFactory(headline="Someone else's story")

    page = client.get(journalist.get_absolute_url()).content.decode()
    assert page.index(newer.headline) < page.index(older.headline)
    assert "Someone else's story" not in page


def test_section_page_paginates_newest_first(client, settings):
    settings.BYLINE_PAGE_SIZE = 2
    section = SectionFactory(slug="metro", name="Metro")
    for hours in range(5):
        ArticleFactory(section=section, headline=f"Metro story {hours} hours old",
                       published_at=timezone.now() - timedelta(hours=hours + 1))

    first = client.get("/metro/").content.decode()
    assert "Metro story 0 hours old" in first and "Metro story 1 hours old" in first
    assert "Metro story 2 hours old" not in first
    third = client.get("/metro/?page=3").content.decode()
    assert "Metro story 4 hours old" in third
    assert "Page 3 of 3" in third


def test_tag_page_lists_tagged_articles(client):
    tag = TagFactory(name="rivers", slug="rivers")
    tagged = ArticleFactory(headline="Salmon return early")
    tagged.tags.add(tag)
    ArticleFactory(headline="Untagged story")

    page = client.get("/tags/rivers/").content.decode()
    assert "Salmon return early" in page
    assert "Untagged story" not in page


def test_wordpress_style_query_address_redirects_from_the_home_page(client):
    article = ArticleFactory()
    ArticleRedirect.objects.create(old_path="/?p=101", article=article)
    response = client.get("/?p=101")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get("/?p=999").status_code == 200
