import pytest
from django.test import Client

from tests.factories import ArticleFactory, JournalistFactory, SectionFactory


@pytest.fixture
def reader() -> Client:
    """An anonymous reader: no session cookie."""
    return Client()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (cache invalidation, purges) as the code under test registers them."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def story():
    """A published story in the City section by one journalist."""
    return ArticleFactory(
        headline="Harbour ferry returns",
        slug="harbour-ferry",
        section=SectionFactory(slug="city", name="City"),
        journalists=[JournalistFactory(name="Mina Okafor", slug="mina-okafor")],
    )
