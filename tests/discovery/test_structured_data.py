import extruct
import pytest
from django.utils import timezone

from byline.newsroom.models import ArticleNote
from tests.discovery.conftest import SITE_URL
from tests.discovery.factories import ArticleNoteFactory
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def extract(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return extruct.extract(response.content.decode(), base_url=SITE_URL, syntaxes=["json-ld", "opengraph"])


def by_type(data: dict, kind: str) -> dict:
    matches = [item for item in data["json-ld"] if item.get("@type") == kind]
    assert len(matches) == 1, [item.get("@type") for item in data["json-ld"]]
    return matches[0]


@pytest.fixture
def article(jpeg_upload):
    section = SectionFactory(name="City", slug="city")
    people = [
        JournalistFactory(name="Ada Field", slug="ada-field"),
        JournalistFactory(name="Ben Ore", slug="ben"),
    ]
    article = ArticleFactory(
        section=section,
        slug="bridge",
        headline="Bridge reopens after repairs",
        standfirst="Traffic returns to the river crossing.",
        journalists=people,
        hero_image=jpeg_upload(),
        hero_alt="The bridge at dusk",
    )
    article.tags.add(TagFactory(name="Transit"))
    return article


def test_article_page_carries_a_complete_news_article(client, article):
    news = by_type(extract(client, "/city/bridge/"), "NewsArticle")
    assert news["headline"] == "Bridge reopens after repairs"
    assert news["description"] == "Traffic returns to the river crossing."
    assert news["datePublished"] and news["dateModified"]
    assert news["mainEntityOfPage"]["@id"] == f"{SITE_URL}/city/bridge/"
    assert news["isAccessibleForFree"] is True
    assert [(a["@type"], a["name"], a["url"]) for a in news["author"]] == [
        ("Person", "Ada Field", f"{SITE_URL}/journalists/ada-field/"),
        ("Person", "Ben Ore", f"{SITE_URL}/journalists/ben/"),
    ]
    assert news["publisher"]["name"] and news["publisher"]["logo"]["url"].startswith(SITE_URL)
    assert news["image"][0]["url"].startswith(f"{SITE_URL}/media/articles/")
    assert "correction" not in news


def test_a_correction_appears_in_the_json_ld_and_moves_date_modified(
    client, article, django_capture_on_commit_callbacks
):
    before = by_type(extract(client, "/city/bridge/"), "NewsArticle")["dateModified"]
    with django_capture_on_commit_callbacks(execute=True):  # the page cache is invalidated on commit
        ArticleNoteFactory(
            article=article, kind=ArticleNote.Kind.CORRECTION, text="The span is 300 m, not 30 m."
        )
    news = by_type(extract(client, "/city/bridge/"), "NewsArticle")
    assert news["dateModified"] > before
    assert news["correction"][0]["@type"] == "CorrectionComment"
    assert "300 m, not 30 m" in news["correction"][0]["text"]


def test_breadcrumbs_lead_home_section_article(client, article):
    crumbs = by_type(extract(client, "/city/bridge/"), "BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["item"]) for c in crumbs] == [
        (1, f"{SITE_URL}/"),
        (2, f"{SITE_URL}/city/"),
        (3, f"{SITE_URL}/city/bridge/"),
    ]


def test_opengraph_twitter_and_canonical_tags(client, article):
    response = client.get("/city/bridge/")
    html = response.content.decode()
    assert f'<link rel="canonical" href="{SITE_URL}/city/bridge/">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    og = dict(extract(client, "/city/bridge/")["opengraph"][0]["properties"])
    assert og["og:type"] == "article"
    assert og["og:title"] == "Bridge reopens after repairs"
    assert og["og:url"] == f"{SITE_URL}/city/bridge/"
    assert og["og:image"].startswith(f"{SITE_URL}/media/")


def test_journalist_page_carries_a_person(client):
    journalist = JournalistFactory(name="Ada Field", slug="ada-field", role="Transit reporter")
    journalist.links.create(label="Website", url="https://ada.example.net/")
    person = by_type(extract(client, journalist.get_absolute_url()), "Person")
    assert person["name"] == "Ada Field"
    assert person["url"] == f"{SITE_URL}/journalists/ada-field/"
    assert person["jobTitle"] == "Transit reporter"
    assert person["sameAs"] == ["https://ada.example.net/"]


def test_text_that_looks_like_markup_cannot_escape_the_json_ld_block(client):
    section = SectionFactory(slug="city")
    ArticleFactory(section=section, slug="x", headline="</script><script>alert(1)</script> & more")
    html = client.get("/city/x/").content.decode()
    assert "<script>alert(1)" not in html
    news = by_type(extract(client, "/city/x/"), "NewsArticle")
    assert news["headline"] == "</script><script>alert(1)</script> & more"


def test_previews_carry_no_structured_data_or_canonical(client, admin_client):
    article = ArticleFactory(draft=True, published_at=None)
    html = admin_client.get(f"/preview/{article.pk}/").content.decode()
    assert "application/ld+json" not in html
    assert 'rel="canonical"' not in html
    assert timezone.now()  # the preview itself renders
