"""Editors work in Django's admin: validation on the fields, writers limited to their own drafts."""

import pytest
from django.contrib.auth.models import Group

from byline.newsroom.models import Article
from byline.newsroom.roles import EDITOR, WRITER
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    # The groups are made after every migrate; the test database is migrated once, so refresh them here.
    from byline.newsroom.roles import ensure_staff_groups

    ensure_staff_groups()


@pytest.fixture
def editor(groups):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


@pytest.fixture
def writer(groups):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=WRITER))
    return user


def article_form(section, **overrides):
    data = {
        "headline": "Harbour dredging approved",
        "standfirst": "The port will be deepened by two metres.",
        "section": section.pk,
        "slug": "harbour-dredging-approved",
        "body_source": "Text.",
        "status": "published",
        "published_at_0": "2025-05-09",
        "published_at_1": "12:46:57",
        "comments_open": "on",
        "hero_alt": "",
        "hero_caption": "",
        "hero_credit": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-journalist": "",
        "bylines-0-position": "0",
        # Other inlines on the page (notes…) are sent empty.
        **{
            f"{prefix}-{field}": value
            for prefix in OTHER_INLINES
            for field, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
        },
    }
    data.update(overrides)
    return data


def _other_inline_prefixes() -> list[str]:
    from byline.newsroom.admin import ArticleAdmin

    prefixes = []
    for inline in ArticleAdmin.inlines:
        fk = inline.model._meta.get_field("article")
        prefixes.append(fk.remote_field.get_accessor_name())
    return [p for p in prefixes if p != "bylines"]


OTHER_INLINES = _other_inline_prefixes()


def test_editor_publishes_an_article_with_a_journalist(client, editor):
    client.force_login(editor)
    section = SectionFactory()
    journalist = JournalistFactory()
    response = client.post(
        "/admin/newsroom/article/add/", article_form(section, **{"bylines-0-journalist": journalist.pk})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="harbour-dredging-approved")
    assert article.status == Article.Status.PUBLISHED
    assert article.ordered_journalists == [journalist]
    assert article.created_by == editor
    assert client.get(article.get_absolute_url()).status_code == 200


def test_empty_headline_is_refused_with_a_message_on_the_field(client, editor):
    client.force_login(editor)
    response = client.post("/admin/newsroom/article/add/", article_form(SectionFactory(), headline="   "))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "headline" in form.errors
    assert not Article.objects.exists()


def test_slug_already_used_in_the_section_is_refused(client, editor):
    client.force_login(editor)
    existing = ArticleFactory(slug="taken")
    journalist = JournalistFactory()
    response = client.post(
        "/admin/newsroom/article/add/",
        article_form(existing.section, slug="taken", **{"bylines-0-journalist": journalist.pk}),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "already exists" in str(errors)
    assert Article.objects.count() == 1


def test_same_slug_in_another_section_is_allowed(client, editor):
    client.force_login(editor)
    ArticleFactory(slug="shared")
    journalist = JournalistFactory()
    response = client.post(
        "/admin/newsroom/article/add/",
        article_form(SectionFactory(), slug="shared", **{"bylines-0-journalist": journalist.pk}),
    )
    assert response.status_code == 302


def test_publishing_without_a_journalist_is_refused(client, editor):
    client.force_login(editor)
    response = client.post("/admin/newsroom/article/add/", article_form(SectionFactory()))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Add at least one journalist before publishing" in page
    assert not Article.objects.exists()


def test_a_draft_may_be_saved_without_a_journalist(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/newsroom/article/add/",
        article_form(SectionFactory(), status="draft", published_at_0="", published_at_1=""),
    )
    assert response.status_code == 302
    assert Article.objects.get().status == Article.Status.DRAFT


def test_writer_cannot_publish_their_article(client, writer):
    client.force_login(writer)
    journalist = JournalistFactory(user=writer)
    response = client.post(
        "/admin/newsroom/article/add/",
        article_form(SectionFactory(), **{"bylines-0-journalist": journalist.pk}),
    )
    # The status field offers writers "Draft" only: "published" is not a valid choice for them.
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_writer_sees_only_their_own_drafts(client, writer):
    client.force_login(writer)
    mine = ArticleFactory(draft=True, journalists=[JournalistFactory(user=writer)], headline="My draft")
    ArticleFactory(draft=True, headline="Colleague's draft")
    ArticleFactory(headline="Published story")

    page = client.get("/admin/newsroom/article/").content.decode()
    assert "My draft" in page
    assert "Colleague&#x27;s draft" not in page and "Colleague's draft" not in page
    assert "Published story" not in page
    assert client.get(f"/admin/newsroom/article/{mine.pk}/change/").status_code == 200


def test_article_list_search_and_filters_work(client, editor):
    client.force_login(editor)
    ArticleFactory(headline="Bridge inspection overdue")
    ArticleFactory(headline="Orchestra season opens")
    page = client.get("/admin/newsroom/article/?q=bridge").content.decode()
    assert "Bridge inspection overdue" in page
    assert "Orchestra season opens" not in page
    assert client.get("/admin/newsroom/article/?status__exact=draft").status_code == 200


def test_staff_preview_shows_a_draft_as_readers_will_see_it(client, editor):
    client.force_login(editor)
    draft = ArticleFactory(draft=True, headline="Embargoed report")
    response = client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Embargoed report" in page
    assert "noindex" in page
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_readers_cannot_preview_drafts(client):
    draft = ArticleFactory(draft=True)
    client.force_login(UserFactory())
    response = client.get(f"/preview/{draft.pk}/")
    assert response.status_code in (302, 403, 404)
    assert draft.headline not in response.content.decode()


def test_writer_cannot_preview_a_colleagues_draft(client, writer):
    client.force_login(writer)
    draft = ArticleFactory(draft=True)
    assert client.get(f"/preview/{draft.pk}/").status_code == 403


def test_groups_exist_after_migrate():
    from django.core.management.sql import emit_post_migrate_signal

    Group.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert set(Group.objects.values_list("name", flat=True)) >= {"Writer", "Editor", "Admin"}
