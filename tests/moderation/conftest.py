import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from tests.factories import ArticleFactory, UserFactory

PIPELINE = "byline.moderation.pipeline.moderate_comment"


@pytest.fixture
def pipeline_on():
    with override_settings(BYLINE_COMMENT_POLICY=PIPELINE):
        yield


@pytest.fixture
def article(db):
    return ArticleFactory(headline="Council debates the transit budget")


@pytest.fixture
def old_reader(db):
    """A reader whose account is old enough not to be held as new."""
    from datetime import timedelta

    from django.utils import timezone

    return UserFactory(display_name="Olive Reader", date_joined=timezone.now() - timedelta(days=90))


@pytest.fixture
def moderator(db):
    user = UserFactory(display_name="Mo Derator", username="moderator", email="mod@example.org")
    group, _ = Group.objects.get_or_create(name="Moderator")
    user.groups.add(group)
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
