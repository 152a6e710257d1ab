"""The article page as readers see it: every part the brief lists."""

from datetime import UTC, datetime

import pytest

from byline.newsroom.models import Article
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    maya = JournalistFactory(name="Maya Okafor", slug="maya-okafor", role="Journalist and Writer",
                             bio_source="Maya covers *city hall*.")
    tomas = JournalistFactory(name="Tomás Lindqvist", slug="tomas-lindqvist", role="Environment Reporter",
                              bio_source="Tomás covers the river.", accepts_support=False)
    return ArticleFactory(
        section=SectionFactory(name="Local", slug="local"),
        slug="council-delays-vote",
        headline="Council delays budget vote",
        standfirst="A late amendment split councillors.",
        body_source="First paragraph of the story.\n\nSecond paragraph of the story.",
        published_at=datetime(2025, 5, 9, 16, 46, 57, tzinfo=UTC),
        journalists=[maya, tomas],
    )


def test_article_page_shows_headline_standfirst_section_time_and_body(client, article):
    page = client.get("/local/council-delays-vote/").content.decode()
    assert '<h1 class="headline">Council delays budget vote</h1>' in page
    assert "A late amendment split councillors." in page
    assert '<a href="/local/">Local</a>' in page
    # Site time zone is America/Toronto: 16:46:57 UTC is 12:46:57 EDT.
    assert "2025-05-09 12:46:57 -0400" in page
    assert "<p>First paragraph of the story.</p>" in page
    assert "<p>Second paragraph of the story.</p>" in page


def test_publication_time_follows_the_configured_time_zone(client, article, settings):
    settings.TIME_ZONE = "Europe/Paris"
    page = client.get("/local/council-delays-vote/").content.decode()
    assert "2025-05-09 18:46:57 +0200" in page


def test_byline_box_has_name_linked_to_journalist_page_role_and_bio(client, article):
    page = client.get("/local/council-delays-vote/").content.decode()
    assert '<a href="/journalists/maya-okafor/">Maya Okafor</a>' in page
    assert "Journalist and Writer" in page
    assert "Maya covers <em>city hall</em>." in page
    # Bylines in the editor's order.
    assert page.index("Maya Okafor</a>") < page.index("Tomás Lindqvist</a>")


def test_funding_call_uses_first_name_and_links_to_support_page(client, article):
    page = client.get("/local/council-delays-vote/").content.decode()
    assert "Help fund Maya&#x27;s journalism!" in page or "Help fund Maya's journalism!" in page
    assert f'href="/support/maya-okafor/?from={article.pk}"' in page


def test_no_funding_call_for_a_journalist_who_does_not_accept_support(client, article):
    page = client.get("/local/council-delays-vote/").content.decode()
    assert "Help fund Tomás" not in page


def test_call_name_overrides_the_first_word_of_the_name(client):
    journalist = JournalistFactory(name="Dr. Amara Singh", call_name="Amara")
    article = ArticleFactory(journalists=[journalist])
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Help fund Amara" in page


def test_support_page_says_honestly_whether_support_is_open(client, article):
    response = client.get(f"/support/maya-okafor/?from={article.pk}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Maya" in page
    assert "not" in page.lower()  # "not open yet" / "not set up yet" until payments are configured


def test_comments_heading_follows_the_byline(client, article):
    page = client.get("/local/council-delays-vote/").content.decode()
    assert 'id="comments"' in page
    assert 'class="comments-heading">Comments <span class="comment-total">(' in page
    assert page.index("Help fund Maya") < page.index('id="comments"')


def test_hero_image_has_alt_text_caption_and_credit(client, article):
    from byline.web.demo.loader import hero_image

    article.hero_image.save("river.jpg", hero_image("river", 320, 180), save=False)
    article.hero_alt = "The river at dawn"
    article.hero_caption = "Mist over the Alder."
    article.hero_credit = "Photo: Staff"
    article.save()
    page = client.get("/local/council-delays-vote/").content.decode()
    assert 'alt="The river at dawn"' in page
    assert 'width="320" height="180"' in page
    assert "Mist over the Alder." in page and "Photo: Staff" in page


def test_home_page_groups_latest_articles_by_section(client):
    local = SectionFactory(name="Local", slug="local", position=0)
    culture = SectionFactory(name="Culture", slug="culture", position=1)
    ArticleFactory(section=culture, headline="Jazz festival returns")
    ArticleFactory(section=local, headline="Potholes fixed on Main Street")
    ArticleFactory(section=local, draft=True, headline="Unfinished draft")

    page = client.get("/").content.decode()
    assert (
        page.index('id="section-local"') < page.index("Potholes fixed")
        < page.index('id="section-culture"') < page.index("Jazz festival")
    )
    assert "Unfinished draft" not in page


def test_home_page_lists_at_most_the_configured_number_per_section(client, settings):
    settings.BYLINE_HOME_PER_SECTION = 2
    section = SectionFactory()
    for n in range(4):
        ArticleFactory(section=section, headline=f"Story {n}")
    page = client.get("/").content.decode()
    assert sum(f"Story {n}" in page for n in range(4)) == 2


def test_unknown_url_gets_the_sites_404_page(client):
    response = client.get("/no/such/page/here/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "couldn't find that page" in page
    assert 'class="site-header"' in page


def test_unknown_article_in_a_real_section_is_a_404(client):
    SectionFactory(slug="local")
    assert client.get("/local/not-a-story/").status_code == 404


def test_server_error_shows_the_sites_500_page_without_a_traceback(client, settings, monkeypatch):
    from byline.web import views

    def explode(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(views.selectors, "home_sections", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "database on fire" not in page and "Traceback" not in page


def test_every_page_sends_a_strict_content_security_policy(client, article):
    response = client.get(article.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_section_slug_reserved_by_the_site_is_refused():
    from django.core.exceptions import ValidationError

    from byline.newsroom.models import Section

    with pytest.raises(ValidationError):
        Section(name="Journalists", slug="journalists").full_clean()


def test_article_reading_time_is_at_least_a_minute():
    article = ArticleFactory(body_source="word " * 1000)
    assert article.word_count == 1000
    assert article.reading_minutes == 5
    assert Article.objects.get(pk=article.pk).reading_minutes == 5


def test_journalist_slug_used_by_the_support_pages_is_refused():
    from django.core.exceptions import ValidationError

    from byline.journalists.models import Journalist

    with pytest.raises(ValidationError, match="used by the site itself"):
        Journalist(name="Thanks Person", slug="thanks").full_clean()
