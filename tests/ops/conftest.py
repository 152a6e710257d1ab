import pytest
from django.test import Client


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
