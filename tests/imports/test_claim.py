"""A reader who verifies the email an imported comment was written with can claim it."""

import pytest
from django.urls import reverse

from byline.comments.models import Comment
from byline.core.errors import PermissionDenied
from byline.imports.selectors import claimable_comment_count
from byline.imports.services import claim_guest_comments
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db



def test_a_verified_reader_claims_the_comments_written_with_their_email(import_wordpress):
    import_wordpress()
    reader = UserFactory(email="Marguerite@Readers.example.org", display_name="Marguerite O.")
    assert claimable_comment_count(user=reader) == 2
    bridge = Comment.objects.get(body_source__contains="My grandfather asked").article
    count_before = bridge.comment_count

    assert claim_guest_comments(user=reader) == 2
    mine = Comment.objects.filter(author=reader)
    assert sorted(c.body_source[:20] for c in mine) == ["Finally. My grandfat", "Thank you, I will re"]
    assert {c.author_name for c in mine} == {"Marguerite O."}
    bridge.refresh_from_db()
    assert bridge.comment_count == count_before  # nothing changed visibility
    assert claim_guest_comments(user=reader) == 0


def test_an_unverified_reader_cannot_claim(import_wordpress):
    import_wordpress()
    reader = UserFactory(email="marguerite@readers.example.org", email_verified_at=None)
    with pytest.raises(PermissionDenied, match="Confirm your email address first"):
        claim_guest_comments(user=reader)
    assert not Comment.objects.filter(author=reader).exists()


def test_comments_posted_on_the_site_are_never_claimable(import_wordpress):
    import_wordpress()
    article = ArticleFactory()
    Comment.objects.create(
        article=article,
        guest_name="Former reader",
        guest_email="x@example.org",
        body_source="kept after deletion",
        status=Comment.Status.APPROVED,
    )
    reader = UserFactory(email="x@example.org")
    assert claim_guest_comments(user=reader) == 0


def test_the_claim_page_shows_the_count_and_a_post_claims_them(client, import_wordpress):
    import_wordpress()
    reader = UserFactory(email="ines@readers.example.org", display_name="Ines A.")
    client.force_login(reader)
    page = client.get(reverse("imports:claim"))
    assert page.status_code == 200
    assert "2 comments were posted with your email address" in page.content.decode()
    response = client.post(reverse("imports:claim"), follow=True)
    assert "2 earlier comments are now yours." in response.content.decode()
    assert Comment.objects.filter(author=reader).count() == 2


def test_the_claim_page_asks_for_login_and_refuses_unverified_readers(client, import_wordpress):
    import_wordpress()
    assert client.post(reverse("imports:claim")).status_code == 302
    client.force_login(UserFactory(email="ines@readers.example.org", email_verified_at=None))
    response = client.post(reverse("imports:claim"))
    assert response.status_code == 403
    assert "Confirm your email address first" in response.content.decode()


def test_claimed_comments_show_under_the_readers_name_on_the_article(client, import_wordpress):
    import_wordpress()
    reader = UserFactory(email="des@readers.example.org", display_name="Desmond K.")
    claim_guest_comments(user=reader)
    html = client.get("/city-hall/council-approves-bridge-budget/").content.decode()
    assert "Desmond K." in html
    assert "Des Kowalczyk" not in html
    assert f'href="/comments/readers/{reader.pk}/"' in html


def test_verifying_the_email_by_its_link_claims_the_imported_comments_and_says_so(client, import_wordpress):
    from byline.accounts.services import verification_token

    import_wordpress()
    reader = UserFactory(email="marguerite@readers.example.org", display_name="Marguerite O.",
                         email_verified_at=None)
    client.force_login(reader)
    response = client.get(reverse("accounts:verify", args=[verification_token(reader)]), follow=True)

    assert Comment.objects.filter(author=reader).count() == 2
    assert "2 earlier comments written with this email address now appear under your name." in (
        response.content.decode()
    )
