"""`byline check` catches funding settings that would break the support form, with advice to fix them."""

import re

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from byline.core.conf import byline_setting


@checks.register("byline")
def funding_settings_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    try:
        currency = str(byline_setting("BYLINE_CURRENCY"))
        low, high = int(byline_setting("BYLINE_SUPPORT_MIN")), int(byline_setting("BYLINE_SUPPORT_MAX"))
        presets = [int(value) for value in byline_setting("BYLINE_SUPPORT_PRESETS")]
    except (ImproperlyConfigured, TypeError, ValueError) as error:
        return [
            checks.Error(
                f"A funding setting is not a number: {error}",
                hint="BYLINE_SUPPORT_MIN, BYLINE_SUPPORT_MAX and BYLINE_SUPPORT_PRESETS are whole numbers of "
                "minor units (cents), e.g. BYLINE_SUPPORT_PRESETS=500,1000,2500.",
                id="byline.funding.E001",
            )
        ]
    if not re.fullmatch(r"[A-Za-z]{3}", currency):
        problems.append(
            checks.Error(
                f"BYLINE_CURRENCY={currency!r} is not an ISO 4217 code.",
                hint="Use a three-letter code such as CAD, USD or EUR.",
                id="byline.funding.E002",
            )
        )
    if not 0 < low <= high:
        problems.append(
            checks.Error(
                f"BYLINE_SUPPORT_MIN ({low}) must be above 0 and at most BYLINE_SUPPORT_MAX ({high}).",
                hint="Both are in minor units: 300 is $3.00.",
                id="byline.funding.E003",
            )
        )
    outside = [amount for amount in presets if not low <= amount <= high]
    if outside:
        problems.append(
            checks.Warning(
                f"BYLINE_SUPPORT_PRESETS has amounts outside the minimum and maximum: {outside}.",
                hint="Readers who pick them would be refused; keep presets between the two limits.",
                id="byline.funding.W001",
            )
        )
    if byline_setting("BYLINE_STRIPE_SECRET_KEY") and not byline_setting("BYLINE_STRIPE_WEBHOOK_SECRET"):
        problems.append(
            checks.Warning(
                "BYLINE_STRIPE_SECRET_KEY is set but BYLINE_STRIPE_WEBHOOK_SECRET is not.",
                hint="Without the webhook secret no payment could be recorded, so the support pages stay "
                "closed. Add your Stripe webhook signing secret (whsec_…); see docs/funding.md.",
                id="byline.funding.W002",
            )
        )
    return problems
