"""The links every page carries (header, footer, account bar) are right, also under a path prefix."""

import pytest
from django.test import Client
from django.urls import set_script_prefix

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_page_links_to_search_support_corrections_feeds_and_sign_in():
    html = Client().get("/").content.decode()
    for href in [
        'href="/search/"',
        'href="/support/"',
        'href="/corrections/"',
        'href="/feeds/rss/"',
        'href="/accounts/login/?next=/"',
    ]:
        assert href in html, href
    assert 'href="/static/css/site' in html and 'src="/static/js/site' in html


def test_a_signed_in_reader_gets_settings_and_sign_out():
    client = Client()
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    assert 'href="/accounts/settings/"' in html
    assert 'action="/accounts/logout/"' in html


def test_a_site_mounted_under_a_prefix_links_within_it():
    Client().get("/")  # the links without a prefix are made first
    set_script_prefix("/news/")  # as the WSGI handler does for SCRIPT_NAME=/news
    try:
        html = Client().get("/?under=news").content.decode()
    finally:
        set_script_prefix("/")
    assert 'href="/news/search/"' in html
    assert 'href="/news/corrections/"' in html
