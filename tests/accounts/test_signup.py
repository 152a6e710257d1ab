import re
import time

import pytest
from django.core import mail

from byline.accounts.models import User
from tests.factories import JournalistFactory, UserFactory

GOOD = {"email": "new.reader@example.org", "display_name": "New Reader", "password": "a quiet river at dawn"}


def link_in(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/accounts/verify/\S+)", message.body).group(1)


@pytest.mark.django_db
def test_sign_up_creates_an_unconfirmed_account_and_emails_a_link(
    client, django_capture_on_commit_callbacks, settings
):
    import importlib

    # The suite may use a fast hasher; sign-up itself must hash with the project's configured Argon2.
    settings.PASSWORD_HASHERS = importlib.import_module("byline.settings").PASSWORD_HASHERS
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", GOOD)
    assert response.status_code == 302
    user = User.objects.get(email="new.reader@example.org")
    assert user.display_name == "New Reader" and not user.is_verified
    assert user.password.startswith("argon2")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.reader@example.org"]
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_verified


@pytest.mark.django_db
def test_confirmation_link_brings_the_reader_back_to_the_article(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/?next=/city/story/%23comments", GOOD)
    response = client.get(link_in(mail.outbox[0]))
    assert response["Location"] == "/city/story/#comments"


@pytest.mark.django_db
def test_an_expired_confirmation_link_is_refused(
    client, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.BYLINE_EMAIL_VERIFICATION_HOURS = 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", GOOD)
    link = link_in(mail.outbox[0])
    later = time.time() + 3601
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.get(link)
    assert response.status_code == 400
    assert "has expired" in response.content.decode()
    assert not User.objects.get().is_verified


@pytest.mark.django_db
def test_a_tampered_confirmation_link_is_refused(client):
    response = client.get("/accounts/verify/not-a-real-token/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


@pytest.mark.django_db
def test_a_link_for_an_old_email_address_no_longer_confirms(client):
    from byline.accounts.services import verification_token

    user = UserFactory(email_verified_at=None, email="old@example.org")
    token = verification_token(user)
    User.objects.filter(pk=user.pk).update(email="new@example.org")
    assert client.get(f"/accounts/verify/{token}/").status_code == 400


@pytest.mark.django_db
def test_display_names_are_unique_ignoring_case_and_accents(client):
    UserFactory(display_name="José Núñez")
    response = client.post("/accounts/signup/", {**GOOD, "display_name": "jose nunez"})
    assert response.status_code == 400
    assert "That display name is taken" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["Jane Journalist", "jane journalist", "JANE  JOURNALIST", "Jane.Journalist"]
)
def test_display_names_may_not_impersonate_a_journalist(client, name):
    JournalistFactory(name="Jane Journalist")
    response = client.post("/accounts/signup/", {**GOOD, "display_name": name})
    assert response.status_code == 400
    assert "name of one of our journalists" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Moderator", "x", "!!!", "Zero\u200bWidth", "A" * 41])
def test_reserved_short_or_odd_display_names_are_refused(client, name):
    response = client.post("/accounts/signup/", {**GOOD, "display_name": name})
    assert response.status_code == 400
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_hostile_display_name_is_shown_as_text(client):
    from tests.comments.factories import CommentFactory
    from tests.factories import ArticleFactory

    article = ArticleFactory()
    hostile = "<img src=x onerror=alert(1)>"
    response = client.post("/accounts/signup/", {**GOOD, "display_name": hostile})
    user = User.objects.get()
    CommentFactory(article=article, author=user)
    page = client.get(article.get_absolute_url()).content.decode()
    assert response.status_code == 302
    assert "<img src=x onerror" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.django_db
def test_email_already_in_use_is_refused(client):
    UserFactory(email="New.Reader@example.org")
    response = client.post("/accounts/signup/", {**GOOD, "email": "new.reader@EXAMPLE.org"})
    assert response.status_code == 400
    assert "exists already" in response.content.decode()


@pytest.mark.django_db
def test_weak_passwords_are_refused(client):
    response = client.post("/accounts/signup/", {**GOOD, "password": "password"})
    assert response.status_code == 400
    assert not User.objects.exists()


@pytest.mark.django_db
def test_sign_ups_are_rate_limited_per_address(client, settings):
    settings.BYLINE_SIGNUP_RATE_PER_HOUR = 1
    client.post("/accounts/signup/", GOOD)
    client.logout()
    response = client.post("/accounts/signup/", {**GOOD, "email": "b@example.org", "display_name": "Second"})
    assert response.status_code == 429
    assert response["Retry-After"]


@pytest.mark.django_db
def test_resending_the_confirmation_link(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(email_verified_at=None))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/verify/again/")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
