"""Article bodies, headlines and standfirsts typed into the admin by an editor: whatever the payload,
the stored HTML, the reader's page and the admin's own change form stay free of anything executable."""

import pytest

from byline.newsroom.models import Article
from tests.factories import JournalistFactory, SectionFactory, UserFactory
from tests.htmlcheck import executable_parts
from tests.newsroom.test_admin import article_form
from tests.security.corpus import new_executable_parts

pytestmark = pytest.mark.django_db
BATCH = 20


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def add_article(client, *, section, journalist, slug: str, headline: str, standfirst: str, body: str):
    response = client.post(
        "/admin/newsroom/article/add/",
        article_form(
            section,
            slug=slug,
            headline=headline,
            standfirst=standfirst,
            body_source=body,
            **{"bylines-0-journalist": journalist.pk},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Article.objects.get(slug=slug)


def test_hostile_articles_written_in_the_admin_render_nothing_executable(editor_client, corpus):
    section = SectionFactory(name="Hostile", slug="hostile")
    journalist = JournalistFactory()
    calm = add_article(
        editor_client,
        section=section,
        journalist=journalist,
        slug="calm",
        headline="Calm",
        standfirst="Calm.",
        body="Calm.",
    )
    calm_page = editor_client.get(calm.get_absolute_url()).content.decode()
    calm_admin = editor_client.get(f"/admin/newsroom/article/{calm.pk}/change/").content.decode()

    for number in range(0, len(corpus), BATCH):
        group = corpus[number : number + BATCH]
        article = add_article(
            editor_client,
            section=section,
            journalist=journalist,
            slug=f"hostile-{number}",
            headline=group[0][:250].strip() or "x",
            standfirst=group[-1][:400],
            body="\n\n".join(group),
        )
        assert executable_parts(article.body_html) == [], group
        page = editor_client.get(article.get_absolute_url()).content.decode()
        assert not new_executable_parts(page, calm_page), group
        admin = editor_client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()
        assert not new_executable_parts(admin, calm_admin), group
