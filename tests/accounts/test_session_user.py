"""request.user is read fresh from the database on every request (byline.accounts.middleware), so whatever
changes a reader's row — save(), queryset.update(), another process — shows on their very next request."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from byline.accounts.middleware import session_user
from byline.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def header_name(client) -> str | None:
    page = client.get("/").content.decode()
    return "signed in" if 'action="/accounts/logout/"' in page else None


def test_signed_in_reader_is_the_same_user_django_loads(client):
    reader = UserFactory(display_name="Ada Reader")
    client.force_login(reader)
    request = RequestFactory().get("/")
    request.session = client.session
    assert request.session[SESSION_KEY] == str(reader.pk)  # the session is loaded
    with CaptureQueriesContext(connection) as queries:
        user = session_user(request)
    assert len(queries) == 1
    expected = User.objects.get(pk=reader.pk)
    fields = [field.attname for field in User._meta.concrete_fields]
    assert [getattr(user, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert user.is_authenticated and not user._state.adding and user._state.db == "default"
    assert "Ada Reader" in client.get("/").content.decode()


def test_reader_deactivated_with_update_is_signed_out_on_the_next_request(client):
    reader = UserFactory()
    client.force_login(reader)
    assert header_name(client) == "signed in"
    User.objects.filter(pk=reader.pk).update(is_active=False)  # no signal, no save()
    assert header_name(client) is None
    User.objects.filter(pk=reader.pk).update(is_active=True)
    assert header_name(client) == "signed in"  # as with Django's backend: the session was kept


def test_password_changed_with_update_ends_the_session(client):
    reader = UserFactory()
    client.force_login(reader)
    assert header_name(client) == "signed in"
    User.objects.filter(pk=reader.pk).update(password=make_password("another secret phrase"))
    assert header_name(client) is None
    assert SESSION_KEY not in client.session  # flushed, as Django does


def test_deleted_reader_is_anonymous(client):
    reader = UserFactory()
    client.force_login(reader)
    User.objects.filter(pk=reader.pk).delete()
    assert header_name(client) is None


def test_display_name_changed_with_update_shows_at_once(client):
    reader = UserFactory(display_name="Before Name")
    client.force_login(reader)
    assert "Before Name" in client.get("/").content.decode()
    User.objects.filter(pk=reader.pk).update(display_name="After Name")
    page = client.get("/").content.decode()
    assert "After Name" in page and "Before Name" not in page


def test_session_signed_with_a_fallback_secret_is_rotated_as_django_does(client, settings):
    reader = UserFactory()
    settings.SECRET_KEY = "an-old-secret-key-that-is-long-enough-for-the-tests-0123456789"
    client.force_login(reader)
    old_key = client.session.session_key
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-secret-key-that-is-long-enough-for-the-tests-9876543210"
    assert header_name(client) == "signed in"
    assert client.session.session_key != old_key
    assert client.session[HASH_SESSION_KEY] == reader.get_session_auth_hash()


def test_tampered_session_hash_is_refused(client):
    reader = UserFactory()
    client.force_login(reader)
    session = client.session
    session[HASH_SESSION_KEY] = "0" * 64
    session.save()
    assert header_name(client) is None


def test_session_of_a_backend_no_longer_configured_is_anonymous(client):
    reader = UserFactory()
    client.force_login(reader)
    session = client.session
    session[BACKEND_SESSION_KEY] = "some.removed.Backend"
    session.save()
    assert header_name(client) is None


@pytest.mark.parametrize(
    "change",
    [
        {},
        {SESSION_KEY: None},
        {HASH_SESSION_KEY: None},
        {HASH_SESSION_KEY: ""},
        {SESSION_KEY: "not-a-number"},
    ],
)
def test_every_session_gets_the_user_django_would(client, change):
    reader = UserFactory()
    client.force_login(reader)
    data = {**client.session.load(), **change}
    data = {key: value for key, value in data.items() if value is not None}

    def request():
        request = RequestFactory().get("/")
        request.session = client.session
        request.session.clear()
        request.session.update(data)
        return request

    try:
        expected = get_user(request())
    except Exception as error:  # Django refuses it: so must we, the same way
        with pytest.raises(type(error)):
            session_user(request())
        return
    assert session_user(request()) == expected


def test_header_links_each_reader_to_their_own_profile():
    from django.test import Client
    from django.urls import reverse

    first, second = UserFactory(), UserFactory()
    for reader in (first, second, first):
        client = Client()
        client.force_login(reader)
        page = client.get("/").content.decode()
        link = f'<a href="{reverse("comments:profile", args=[reader.pk])}">{reader.public_name}</a>'
        assert link in page
