"""The accounts app's BYLINE_* settings (documented in docs/comments.md)."""

from byline.core.conf import register

register("BYLINE_EMAIL_VERIFICATION_HOURS", 48, "How long an email confirmation link stays valid, in hours.")
register("BYLINE_SIGNUP_RATE_PER_HOUR", 10, "Most sign-ups from one network address in an hour.")
register(
    "BYLINE_LOGIN_RATE_PER_15_MINUTES",
    10,
    "Most failed sign-in attempts per address and email in 15 minutes.",
)
register(
    "BYLINE_LOGIN_ACCOUNT_RATE_PER_15_MINUTES",
    30,
    "Most failed sign-in attempts on one account from all addresses together in 15 minutes.",
)
register(
    "BYLINE_LOGIN_NETWORK_RATE_PER_15_MINUTES",
    50,
    "Most failed sign-in attempts from one network (any accounts) in 15 minutes.",
)
