"""The funding app's BYLINE_* settings. Read them at call time with `byline_setting(name)`."""

from byline.core.conf import register

register(
    "BYLINE_STRIPE_SECRET_KEY",
    "",
    "Stripe secret API key (sk_live_… or sk_test_…). Empty: support pages say online support is not set up.",
)
register(
    "BYLINE_STRIPE_PUBLISHABLE_KEY",
    "",
    "Stripe publishable key (pk_…). Required with the secret key before the support form is shown.",
)
register(
    "BYLINE_STRIPE_WEBHOOK_SECRET",
    "",
    "Signing secret of the Stripe webhook endpoint (whsec_…). Without it the webhook refuses every event.",
)
register(
    "BYLINE_STRIPE_API_BASE",
    "",
    "Base address of Stripe's API. Empty means https://api.stripe.com; tests point it at a local stand-in.",
)
register("BYLINE_CURRENCY", "CAD", "ISO 4217 code of the currency readers give in, e.g. CAD, USD, EUR.")
register("BYLINE_SUPPORT_MIN", 300, "Smallest contribution, in minor units of the currency (300 = $3.00).")
register("BYLINE_SUPPORT_MAX", 100000, "Largest contribution, in minor units (100000 = $1,000.00).")
register(
    "BYLINE_SUPPORT_PRESETS",
    [500, 1000, 2500, 5000],
    "Preset amounts offered on the support form, in minor units, comma-separated (500,1000,2500,5000).",
)
register(
    "BYLINE_SUPPORT_MANAGE_LINK_DAYS",
    45,
    "Days the 'manage your monthly contribution' link in a receipt stays valid (each receipt has a new one).",
)
register(
    "BYLINE_SUPPORT_CHECKOUTS_PER_HOUR",
    20,
    "Checkout sessions one network (/24 or /64) may start per hour; slows card-testing bots. 0: no limit.",
)
register(
    "BYLINE_STRIPE_WEBHOOK_FAILURES_PER_MINUTE",
    30,
    "Webhook calls with a bad signature one network may make per minute before getting 429. 0: no limit.",
)
