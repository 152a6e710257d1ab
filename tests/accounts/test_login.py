import re

import pytest
from django.core import mail

from byline.accounts.models import User
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.mark.django_db
def test_reader_signs_in_with_email_and_password(client):
    user = UserFactory(email="maya@example.org")
    response = client.post("/accounts/login/", {"username": "MAYA@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_wrong_password_gets_a_clear_message(client):
    UserFactory(email="maya@example.org")
    response = client.post("/accounts/login/", {"username": "maya@example.org", "password": "nope"})
    assert response.status_code == 400
    assert "do not match an account" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failed_sign_ins_are_rate_limited(client, settings):
    settings.BYLINE_LOGIN_RATE_PER_15_MINUTES = 2
    UserFactory(email="maya@example.org")
    for _ in range(2):
        client.post("/accounts/login/", {"username": "maya@example.org", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "maya@example.org", "password": "nope"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


@pytest.mark.django_db
def test_sign_out_is_a_post_form_in_the_header(client):
    client.force_login(UserFactory(display_name="Header Person"))
    page = client.get("/").content.decode()
    assert 'action="/accounts/logout/"' in page and "Header Person" in page
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_header_offers_sign_in_and_sign_up_to_anonymous_readers(client):
    page = client.get("/").content.decode()
    assert "/accounts/login/" in page and "/accounts/signup/" in page


@pytest.mark.django_db
def test_password_reset_by_emailed_link(client):
    user = UserFactory(email="forgetful@example.org", email_verified_at=None)
    client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert len(mail.outbox) == 1
    path = re.search(r"http://127\.0\.0\.1:8000(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    new = "a brand new long passphrase"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert user.is_verified  # following the emailed link proved the address


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_settings_change_the_display_name_and_reply_emails(client):
    user = UserFactory(display_name="Before")
    client.force_login(user)
    response = client.post("/accounts/settings/", {"display_name": "After", "notify_replies": ""})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "After" and user.notify_replies is False


@pytest.mark.django_db
def test_settings_refuse_a_taken_display_name(client):
    UserFactory(display_name="Taken Name")
    client.force_login(UserFactory(display_name="Mine"))
    response = client.post("/accounts/settings/", {"display_name": "taken name", "notify_replies": "on"})
    assert response.status_code == 400
    assert "taken" in response.content.decode()


@pytest.mark.django_db
def test_settings_need_a_signed_in_reader(client):
    response = client.get("/accounts/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert User.objects.count() == 0
