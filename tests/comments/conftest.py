import pytest

from tests.factories import ArticleFactory, UserFactory


@pytest.fixture
def article(db):
    return ArticleFactory(headline="Council passes the budget")


@pytest.fixture
def reader(db):
    return UserFactory(display_name="Maya Reader")


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture(autouse=True)
def _default_policy(settings):
    """These tests are about comments, not moderation: every post is approved unless a test says otherwise."""
    settings.BYLINE_COMMENT_POLICY = "byline.comments.policy.approve_all"
