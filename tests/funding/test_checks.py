from byline.funding.checks import funding_settings_check


def ids() -> list[str]:
    return [message.id for message in funding_settings_check()]


def test_the_default_funding_settings_pass_the_checks(settings):
    assert funding_settings_check() == []


def test_presets_outside_the_limits_are_flagged(settings):
    settings.BYLINE_SUPPORT_PRESETS = [100, 1000]

    assert ids() == ["byline.funding.W001"]


def test_a_minimum_above_the_maximum_is_an_error(settings):
    settings.BYLINE_SUPPORT_MIN = 5000
    settings.BYLINE_SUPPORT_MAX = 1000
    settings.BYLINE_SUPPORT_PRESETS = []

    assert "byline.funding.E003" in ids()


def test_a_currency_that_is_not_a_code_is_an_error(settings):
    settings.BYLINE_CURRENCY = "dollars"

    assert ids() == ["byline.funding.E002"]


def test_presets_that_are_not_numbers_are_an_error(settings):
    settings.BYLINE_SUPPORT_PRESETS = ["five"]

    assert ids() == ["byline.funding.E001"]


def test_a_secret_key_without_the_webhook_secret_is_flagged(settings):
    settings.BYLINE_STRIPE_SECRET_KEY = "sk_test_x"
    settings.BYLINE_STRIPE_WEBHOOK_SECRET = ""

    assert ids() == ["byline.funding.W002"]
