import pytest

from tests.security.corpus import payloads

WEBHOOK_SECRET = "whsec_test_security_corpus"


@pytest.fixture(scope="session")
def corpus() -> list[str]:
    return payloads()


@pytest.fixture
def open_limits(settings):
    """No rate limits and room for every payload on one page: these tests post a lot on purpose."""
    settings.BYLINE_COMMENT_RATE_PER_MINUTE = 0
    settings.BYLINE_COMMENT_RATE_PER_DAY = 0
    settings.BYLINE_SIGNUP_RATE_PER_HOUR = 0
    settings.BYLINE_COMMENTS_PER_PAGE = 1000
    settings.BYLINE_COMMENT_DUPLICATE_SECONDS = 0
    return settings


@pytest.fixture
def stripe_settings(settings):
    settings.BYLINE_STRIPE_SECRET_KEY = "sk_test_security"
    settings.BYLINE_STRIPE_PUBLISHABLE_KEY = "pk_test_security"
    settings.BYLINE_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.BYLINE_CURRENCY = "CAD"
    return settings


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """These tests create hundreds of readers; Argon2 would spend minutes hashing their passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
