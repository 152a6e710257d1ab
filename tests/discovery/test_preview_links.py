import re
import time

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.urls import reverse

from byline.newsroom import services
from byline.newsroom.roles import EDITOR
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def shared_url(article) -> str:
    return reverse("newsroom:shared_preview", kwargs={"token": services.preview_token_make(article=article)})


def test_an_outside_reviewer_reads_a_draft_through_the_signed_link(client):
    draft = ArticleFactory(draft=True, headline="Embargoed budget story")
    response = client.get(shared_url(draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Embargoed budget story" in html
    assert "It is not published yet" in html


def test_the_preview_is_never_indexed(client):
    response = client.get(shared_url(ArticleFactory(draft=True)))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"


def test_an_expired_link_is_refused_with_advice(client, settings):
    settings.BYLINE_PREVIEW_LINK_MAX_AGE = 60
    draft = ArticleFactory(draft=True, headline="Old draft")
    url = shared_url(draft)
    real_time = time.time
    try:
        time.time = lambda: real_time() + 120
        response = client.get(url)
    finally:
        time.time = real_time
    assert response.status_code == 410
    html = response.content.decode()
    assert "expired" in html and "Old draft" not in html


def test_a_forged_or_altered_token_is_not_found(client):
    draft = ArticleFactory(draft=True)
    token = services.preview_token_make(article=draft)
    assert (
        client.get(reverse("newsroom:shared_preview", kwargs={"token": token[:-2] + "xx"})).status_code == 404
    )
    forged = signing.dumps({"article": draft.pk}, salt="some-other-purpose")
    assert client.get(reverse("newsroom:shared_preview", kwargs={"token": forged})).status_code == 404


def test_a_link_for_one_article_opens_no_other(client):
    first, second = ArticleFactory(draft=True, headline="First draft"), ArticleFactory(draft=True)
    html = client.get(shared_url(first)).content.decode()
    assert "First draft" in html and second.headline not in html


def test_drafts_stay_invisible_without_the_link(client):
    draft = ArticleFactory(draft=True)
    assert client.get(f"/preview/{draft.pk}/").status_code == 302  # staff only: to the login page
    assert client.get(reverse("newsroom:shared_preview", kwargs={"token": "nonsense"})).status_code == 404


def test_editors_find_a_fresh_link_on_the_article_change_page(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    draft = ArticleFactory(draft=True, headline="Draft for review")
    html = client.get(reverse("admin:newsroom_article_change", args=[draft.pk])).content.decode()
    link = re.search(r'href="(https://news\.example\.org/preview/shared/[^"]+)"', html)
    assert link, "no shareable preview link on the change page"
    client.logout()
    path = link.group(1).removeprefix("https://news.example.org")
    assert "Draft for review" in client.get(path).content.decode()
