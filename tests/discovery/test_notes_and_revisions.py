import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from byline.newsroom import services
from byline.newsroom.models import Article, ArticleNote, ArticleRevision
from byline.newsroom.revisions import revision_diff
from byline.newsroom.roles import EDITOR
from tests.discovery.factories import ArticleNoteFactory
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(user)
    return user


def change_form_data(article: Article, **changes) -> dict:
    byline = article.bylines.first()
    data = {
        "headline": article.headline,
        "standfirst": article.standfirst,
        "section": article.section_id,
        "slug": article.slug,
        "body_source": article.body_source,
        "tags": [t.pk for t in article.tags.all()],
        "hero_alt": "",
        "hero_caption": "",
        "hero_credit": "",
        "status": article.status,
        "published_at_0": timezone.localtime(article.published_at).strftime("%Y-%m-%d"),
        "published_at_1": timezone.localtime(article.published_at).strftime("%H:%M:%S"),
        "comments_open": "on",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "1",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-id": byline.pk,
        "bylines-0-article": article.pk,
        "bylines-0-journalist": byline.journalist_id,
        "bylines-0-position": "0",
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


# --- Corrections and updates ---------------------------------------------------------------------------


def test_notes_show_on_the_article_with_kind_and_date(client):
    article = ArticleFactory()
    ArticleNoteFactory(
        article=article, kind=ArticleNote.Kind.CORRECTION, text="The mayor's name was misspelt."
    )
    ArticleNoteFactory(article=article, kind=ArticleNote.Kind.UPDATE, text="The council voted on Tuesday.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Corrections and updates" in html
    assert "<strong>Correction</strong>" in html and "misspelt" in html
    assert "<strong>Update</strong>" in html and "voted on Tuesday" in html
    assert "Updated <time" in html


def test_every_kind_of_note_exists():
    assert {kind.label for kind in ArticleNote.Kind} == {
        "Correction",
        "Update",
        "Clarification",
        "Retraction",
    }


def test_a_note_moves_the_articles_modification_time():
    article = ArticleFactory()
    before = Article.objects.get(pk=article.pk).updated_at
    ArticleNoteFactory(article=article)
    assert Article.objects.get(pk=article.pk).updated_at > before


def test_corrections_page_lists_notes_of_live_articles_newest_first(client):
    live = ArticleFactory(headline="Live story")
    hidden = ArticleFactory(headline="Hidden draft", draft=True)
    ArticleNoteFactory(article=live, text="First fix.", noted_at=timezone.now() - timezone.timedelta(days=1))
    ArticleNoteFactory(article=live, kind=ArticleNote.Kind.RETRACTION, text="Second fix.")
    ArticleNoteFactory(article=hidden, text="Nobody may see this.")
    response = client.get(reverse("newsroom:corrections"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Second fix.") < html.index("First fix.")
    assert "Retraction" in html and "Live story" in html
    assert "Nobody may see this." not in html and "Hidden draft" not in html


def test_an_empty_note_is_refused():
    from django.core.exceptions import ValidationError

    note = ArticleNote(article=ArticleFactory(), text="   ")
    with pytest.raises(ValidationError):
        note.full_clean()


def test_editors_add_a_correction_inline_in_the_article_admin(client, editor):
    article = ArticleFactory()
    data = change_form_data(
        article,
        **{
            "notes-TOTAL_FORMS": "1",
            "notes-0-kind": "correction",
            "notes-0-text": "Wrong date fixed.",
            "notes-0-noted_at_0": "2025-05-09",
            "notes-0-noted_at_1": "12:00:00",
        },
    )
    response = client.post(reverse("admin:newsroom_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert article.notes.get().text == "Wrong date fixed."


# --- Revisions -----------------------------------------------------------------------------------------


def test_every_save_keeps_a_revision_with_a_snapshot():
    article = ArticleFactory(headline="First words")
    article.headline = "Second words"
    article.save()
    revisions = list(article.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert [r.snapshot["headline"] for r in revisions] == ["First words", "Second words"]


def test_an_admin_save_records_who_saved_with_tags_and_byline(client, editor):
    tag = TagFactory(name="Harbour")
    article = ArticleFactory(journalists=[JournalistFactory(name="Ada Field")])
    data = change_form_data(article, headline="Edited in the admin", tags=[tag.pk])
    response = client.post(reverse("admin:newsroom_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    latest = article.revisions.order_by("-number").first()
    assert latest.created_by == editor
    assert latest.snapshot["headline"] == "Edited in the admin"
    assert latest.snapshot["tags"] == "Harbour"
    assert latest.snapshot["journalists"] == "Ada Field"
    assert article.revisions.count() == 2  # the factory's save and the admin's, not one more


def test_comparing_two_revisions_shows_what_changed():
    article = ArticleFactory(headline="Old headline", body_source="Line one.\n\nLine two.")
    article.save()  # the factory adds the byline after its first save; this revision has it
    article.headline = "New headline"
    article.body_source = "Line one.\n\nLine three."
    article.save()
    _, older, newer = article.revisions.order_by("number")
    changes = {change.label: change.lines for change in revision_diff(older, newer)}
    assert set(changes) == {"Headline", "Body"}
    assert ("removed", "Line two.") in [(line.kind, line.text) for line in changes["Body"]]
    assert ("added", "Line three.") in [(line.kind, line.text) for line in changes["Body"]]


def test_editors_see_the_diff_view_in_the_admin(client, editor):
    article = ArticleFactory(headline="Old <headline>")
    article.headline = "New headline"
    article.save()
    listing = client.get(reverse("admin:newsroom_article_revisions", args=[article.pk]))
    assert listing.status_code == 200 and "Compare the chosen revisions" in listing.content.decode()
    url = reverse("admin:newsroom_article_revision_compare", args=[article.pk])
    html = client.get(url, {"a": 1, "b": 2}).content.decode()
    assert '<del class="diff-removed">− Old &lt;headline&gt;</del>' in html
    assert '<ins class="diff-added">+ New headline</ins>' in html


def test_restoring_a_revision_brings_back_its_words_and_keeps_the_publishing_state(client, editor):
    old_tag, new_tag = TagFactory(name="Old tag"), TagFactory(name="New tag")
    section = SectionFactory(slug="city")
    article = ArticleFactory(section=section, slug="story", headline="The original", body_source="Original.")
    article.tags.add(old_tag)
    services.revision_record(article=article, user=editor)  # revision 2: with its tag
    article.headline, article.body_source = "A rewrite", "Rewritten."
    article.save()
    article.tags.set([new_tag])
    url = reverse("admin:newsroom_article_revision_restore", args=[article.pk, 2])
    response = client.post(url)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.body_source) == ("The original", "Original.")
    assert list(article.tags.all()) == [old_tag]
    assert article.status == Article.Status.PUBLISHED
    latest = article.revisions.order_by("-number").first()
    assert latest.summary == "Restored revision 2" and latest.created_by == editor


def test_restore_needs_a_post(client, editor):
    article = ArticleFactory()
    url = reverse("admin:newsroom_article_revision_restore", args=[article.pk, 1])
    assert client.get(url).status_code == 405


def test_writers_cannot_see_revisions_of_articles_they_may_not_edit(client):
    from byline.newsroom.roles import WRITER

    writer = UserFactory(is_staff=True)
    writer.groups.add(Group.objects.get(name=WRITER))
    client.force_login(writer)
    someone_elses = ArticleFactory()
    response = client.get(reverse("admin:newsroom_article_revisions", args=[someone_elses.pk]))
    assert response.status_code in (302, 403, 404)
    assert ArticleRevision.objects.filter(article=someone_elses).exists()
