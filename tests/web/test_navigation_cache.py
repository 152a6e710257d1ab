"""The header's sections are kept in each worker under a version token in the shared cache
(byline.newsroom.selectors.navigation_sections): a section's change shows on the next page, on every
worker, and sections read while a change was committing are never kept past it."""

import re
from unittest import mock

import pytest
from django.test import Client

from byline.newsroom import selectors
from byline.newsroom.models import Section
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(section=SectionFactory(name="Harbour", slug="harbour"), headline="Ferry fares rise")


@pytest.fixture
def reader():
    client = Client()
    client.force_login(UserFactory())
    return client


def rename_uncommitted(capture_on_commit) -> list:
    """Rename the Harbour section to Port; return the commit's callbacks, not yet run."""
    section = Section.objects.get(slug="harbour")
    with capture_on_commit(execute=False) as callbacks:
        section.name = "Port"
        section.save()
    return callbacks


def sections_as_before_the_commit():
    """Another worker's read of the sections while the rename is not committed: the old names."""
    before_commit = (selectors.NavSection("Harbour", "/harbour/"),)
    return mock.patch.object(selectors, "_sections_for_navigation", return_value=before_commit)


def header_sections(client: Client, url: str) -> list[str]:
    page = client.get(url).content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', page, re.S).group(0)
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', nav)[:-2]  # less Search and Support


@pytest.mark.parametrize("signed_in", [True, False])
def test_a_renamed_section_shows_in_the_header_at_once(
    article, reader, signed_in, django_capture_on_commit_callbacks
):
    client = reader if signed_in else Client()
    url = article.get_absolute_url()
    for _ in range(2):  # the second view comes from the caches
        assert header_sections(client, url) == ["Harbour"]
    section = Section.objects.get(slug="harbour")
    with django_capture_on_commit_callbacks(execute=True):
        section.name = "Port"
        section.save()
    assert header_sections(client, url) == ["Port"]
    assert header_sections(client, "/") == ["Port"]


def test_a_new_and_a_deleted_section_show_at_once(article, reader, django_capture_on_commit_callbacks):
    url = article.get_absolute_url()
    assert header_sections(reader, url) == ["Harbour"]
    with django_capture_on_commit_callbacks(execute=True):
        extra = SectionFactory(name="Culture", slug="culture")
    assert sorted(header_sections(reader, url)) == ["Culture", "Harbour"]
    with django_capture_on_commit_callbacks(execute=True):
        extra.delete()
    assert header_sections(reader, url) == ["Harbour"]


def test_sections_read_while_a_change_commits_are_not_kept_after_it(
    article, reader, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url()
    assert header_sections(reader, url) == ["Harbour"]
    callbacks = rename_uncommitted(django_capture_on_commit_callbacks)
    # Another worker reads the sections after the change's first bump but before its commit: old names.
    with sections_as_before_the_commit():
        assert header_sections(reader, url) == ["Harbour"]
    for callback in callbacks:
        callback()
    assert header_sections(reader, url) == ["Port"]


def test_another_workers_change_shows_here(article, reader):
    """Nothing in this process is told of the change: only the shared token moves, as it would when another
    worker or server saves the section."""
    url = article.get_absolute_url()
    assert header_sections(reader, url) == ["Harbour"]
    Section.objects.filter(slug="harbour").update(name="Port")  # no signal here
    selectors.cache.set(selectors.NAV_VERSION_KEY, "replaced-elsewhere", timeout=None)
    assert header_sections(reader, url) == ["Port"]


def test_the_header_still_shows_sections_when_the_shared_cache_is_down(article, reader):
    with mock.patch.object(selectors.cache, "get", side_effect=ConnectionError("down")):
        assert selectors.navigation_sections() == (selectors.NavSection("Harbour", "/harbour/"),)


def test_no_cached_page_keeps_sections_read_before_the_commit(
    article, reader, django_capture_on_commit_callbacks
):
    """The navigation's token and the page cache's site-wide token are replaced after commit one after the
    other: pages stored in between must not keep the old names (the navigation's token goes first)."""
    anonymous, url = Client(), article.get_absolute_url()
    assert header_sections(reader, url) == ["Harbour"]
    callbacks = rename_uncommitted(django_capture_on_commit_callbacks)
    with sections_as_before_the_commit():
        header_sections(reader, url)  # read before the commit, kept under the first new token
    for callback in callbacks:  # the commit's callbacks, with readers in between
        callback()
        header_sections(anonymous, url)
        header_sections(reader, url)
    assert header_sections(anonymous, url) == ["Port"]
    assert header_sections(reader, url) == ["Port"]
