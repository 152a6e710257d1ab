"""Abuse limits a reader would run into: each answers 429 with Retry-After, and addresses are stored only
anonymised."""

import pytest
from django.urls import reverse

from byline.comments.models import Comment
from byline.core.ip import ip_fingerprint
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def steady_clock(monkeypatch):
    """Fixed windows start on the clock: keep a test inside one window so a boundary cannot reset it."""
    from types import SimpleNamespace

    from byline.accounts import ratelimit
    from byline.core import throttle

    fixed = SimpleNamespace(time=lambda: 1_800_000_030.0)
    monkeypatch.setattr(ratelimit, "time", fixed)
    monkeypatch.setattr(throttle, "time", fixed)


def assert_rate_limited(response) -> None:
    assert response.status_code == 429, response.status_code
    assert 1 <= int(response["Retry-After"]) <= 86400


def test_a_reader_posting_too_fast_is_told_to_wait(client, settings, steady_clock):
    settings.BYLINE_COMMENT_RATE_PER_MINUTE = 2
    settings.BYLINE_COMMENT_POLICY = "byline.comments.policy.approve_all"
    article = ArticleFactory()
    client.force_login(UserFactory())
    url = reverse("comments:post", kwargs={"article_id": article.pk})
    for n in range(2):
        assert client.post(url, {"body": f"Point number {n}."}).status_code == 302
    response = client.post(url, {"body": "One point too many."})
    assert_rate_limited(response)
    assert "One point too many." in response.content.decode()  # the text is kept for later
    assert Comment.objects.filter(article=article).count() == 2


def test_liking_in_a_frenzy_is_rate_limited(client, steady_clock):
    comment = CommentFactory()
    client.force_login(UserFactory())
    url = reverse("comments:like", kwargs={"comment_id": comment.pk})
    answers = [client.post(url, HTTP_ACCEPT="application/json") for _ in range(121)]
    assert all(a.status_code == 200 for a in answers[:120])
    assert_rate_limited(answers[120])


def test_reporting_in_bulk_is_rate_limited(client, steady_clock):
    reporter = UserFactory()
    comments = CommentFactory.create_batch(21)
    client.force_login(reporter)
    answers = [
        client.post(
            reverse("comments:report", kwargs={"comment_id": c.pk}),
            {"reason": "spam"},
            HTTP_ACCEPT="application/json",
        )
        for c in comments
    ]
    assert all(a.status_code == 200 for a in answers[:20])
    assert_rate_limited(answers[20])


def test_sign_ups_from_one_address_are_limited(client, settings, steady_clock):
    settings.BYLINE_SIGNUP_RATE_PER_HOUR = 2
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    url = reverse("accounts:signup")
    for n in range(2):
        client.post(
            url,
            {
                "email": f"new{n}@example.org",
                "display_name": f"Newcomer {n}",
                "password": "a fine long passphrase 77",
            },
        )
        client.logout()
    response = client.post(
        url,
        {
            "email": "new9@example.org",
            "display_name": "Newcomer Nine",
            "password": "a fine long passphrase 77",
        },
    )
    assert_rate_limited(response)


def failed_login(client, email: str, address: str):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": "wrong guess"}, REMOTE_ADDR=address
    )


def test_guessing_one_accounts_password_from_one_address_is_throttled(client, settings, steady_clock):
    settings.BYLINE_LOGIN_RATE_PER_15_MINUTES = 3
    UserFactory(email="target@example.org")
    answers = [failed_login(client, "target@example.org", "198.51.100.1") for _ in range(4)]
    assert_rate_limited(answers[3])


def test_guessing_one_accounts_password_from_many_addresses_is_throttled(client, settings, steady_clock):
    settings.BYLINE_LOGIN_RATE_PER_15_MINUTES = 3
    settings.BYLINE_LOGIN_ACCOUNT_RATE_PER_15_MINUTES = 8
    UserFactory(email="target@example.org")
    answers = [failed_login(client, "target@example.org", f"198.51.{n}.1") for n in range(12)]
    assert answers[-1].status_code == 429


def test_trying_many_accounts_from_one_address_is_throttled(client, settings, steady_clock):
    settings.BYLINE_LOGIN_RATE_PER_15_MINUTES = 3
    settings.BYLINE_LOGIN_NETWORK_RATE_PER_15_MINUTES = 20
    answers = [failed_login(client, f"guess{n}@example.org", "198.51.100.1") for n in range(40)]
    assert answers[-1].status_code == 429


def test_a_flood_of_searches_from_one_address_is_rate_limited(client, settings, steady_clock):
    settings.BYLINE_SEARCH_RATE_PER_MINUTE = 20
    answers = [client.get("/search/", {"q": f"harbour {n}"}) for n in range(25)]
    assert answers[-1].status_code == 429
    assert int(answers[-1]["Retry-After"]) >= 1


def test_a_flood_of_forged_webhook_calls_is_rate_limited(client, stripe_settings):
    url = reverse("funding:stripe_webhook")
    answers = [
        client.post(url, data="{}", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=forged")
        for _ in range(300)
    ]
    assert answers[-1].status_code == 429
    assert int(answers[-1]["Retry-After"]) >= 1


def test_a_commenters_address_is_stored_only_as_a_keyed_hash_of_its_network(client, settings):
    settings.BYLINE_COMMENT_POLICY = "byline.comments.policy.approve_all"
    article = ArticleFactory()
    client.force_login(UserFactory())
    url = reverse("comments:post", kwargs={"article_id": article.pk})
    client.post(url, {"body": "Where am I posting from?"}, REMOTE_ADDR="203.0.113.77")
    comment = Comment.objects.get(article=article)
    assert "203.0.113" not in comment.ip_hash
    # The same /24: the same network, not the same person.
    assert comment.ip_hash == ip_fingerprint("203.0.113.1")


def test_behind_a_trusted_proxy_the_readers_network_is_hashed_not_the_proxys(client, settings):
    settings.BYLINE_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.BYLINE_COMMENT_POLICY = "byline.comments.policy.approve_all"
    article = ArticleFactory()
    client.force_login(UserFactory())
    url = reverse("comments:post", kwargs={"article_id": article.pk})
    client.post(
        url, {"body": "Posted through nginx."}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.77"
    )
    assert Comment.objects.get(article=article).ip_hash == ip_fingerprint("203.0.113.1")


def test_a_correct_password_does_not_get_through_once_the_limit_is_used_up(client, settings, steady_clock):
    settings.BYLINE_LOGIN_RATE_PER_15_MINUTES = 3
    UserFactory(email="target@example.org")
    for _ in range(3):
        failed_login(client, "target@example.org", "198.51.100.1")
    lucky = client.post(
        reverse("accounts:login"),
        {"username": "target@example.org", "password": "correct horse battery staple"},
        REMOTE_ADDR="198.51.100.1",
    )
    assert lucky.status_code == 429
    assert "_auth_user_id" not in client.session
