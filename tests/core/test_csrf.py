"""byline.core.csrf: the page's form token is a fresh mask of the reader's CSRF secret, accepted by Django's
CSRF check, drawn uniformly from the same alphabet."""

import re
from collections import Counter

import pytest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from byline.core.csrf import random_chars
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture
def comment():
    return CommentFactory(article=ArticleFactory(), body_source="The ferry was late again.")


@pytest.fixture
def reader():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    return client


def tokens_on(client: Client, comment) -> set[str]:
    response = client.get(comment.article.get_absolute_url())
    assert response.status_code == 200
    return set(TOKEN.findall(response.content.decode()))


def test_a_returning_readers_token_masks_their_secret_afresh_and_is_accepted(reader, comment):
    tokens_on(reader, comment)  # the first view sets the CSRF cookie
    secret = reader.cookies["csrftoken"].value
    (first,) = tokens_on(reader, comment)  # one token for every form on the page
    (second,) = tokens_on(reader, comment)
    assert first != second  # a new mask each time (BREACH)
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == secret
    like = reader.post(reverse("comments:like", args=[comment.pk]), {"csrfmiddlewaretoken": second})
    assert like.status_code == 302  # accepted
    assert comment.likes.count() == 1


def test_a_tampered_token_is_refused(reader, comment):
    tokens_on(reader, comment)
    (token,) = tokens_on(reader, comment)
    tampered = token[:-1] + ("a" if token[-1] != "a" else "b")
    refused = reader.post(reverse("comments:like", args=[comment.pk]), {"csrfmiddlewaretoken": tampered})
    assert refused.status_code == 403
    assert comment.likes.count() == 0


def test_mask_characters_are_equally_likely():
    counts = Counter(random_chars(62 * 2000))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    # Each expected 2,000 times; a modulo bias would put eight characters about 25 % above the rest.
    assert max(counts.values()) < 2300 and min(counts.values()) > 1700
