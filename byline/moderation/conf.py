"""The moderation app's BYLINE_* settings (documented in docs/moderation.md).

Several of them are defaults for the site-wide settings moderators edit in /moderate/settings/: a value
saved there wins over the one here.
"""

from byline.core.conf import register

register(
    "BYLINE_TOXICITY_BACKEND",
    "byline.moderation.toxicity.combined.CombinedBackend",
    "Dotted path to the toxicity classifier class (a byline.moderation.toxicity.base.ToxicityBackend).",
)
register(
    "BYLINE_TOXICITY_HOLD_THRESHOLD",
    0.75,
    "Toxicity score (0-1) from which a comment is held for a moderator (tuned on our tuning set).",
)
register(
    "BYLINE_TOXICITY_NUDGE_THRESHOLD",
    0.6,
    "Toxicity score (0-1) from which the reader is asked once to reconsider before posting.",
)
register(
    "BYLINE_TOXICITY_TIME_BUDGET_MS",
    200,
    "Longest the classifier may take; slower (or failing) means the comment is held, never lost.",
)
register(
    "BYLINE_MODERATION_MODE",
    "post",
    "Site-wide mode: post (publish, moderate after), pre (hold everything), pre_first (hold first-timers).",
)
register("BYLINE_MODERATION_MAX_LINKS", 2, "A comment with more links than this is held.")
register(
    "BYLINE_MODERATION_TRUST_APPROVED",
    5,
    "Approved comments after which an author is trusted (skips pre-moderation), if none of the recent ones "
    "was rejected.",
)
register(
    "BYLINE_MODERATION_TRUST_RECENT",
    20,
    "How many of an author's latest comments must have no rejection for them to stay trusted.",
)
register(
    "BYLINE_MODERATION_DUPLICATE_MINUTES",
    60,
    "The same text posted by anyone within this many minutes is held as possible spam.",
)
register(
    "BYLINE_MODERATION_BURST_COUNT", 4, "Comments by one author within the burst window that mark a burst."
)
register("BYLINE_MODERATION_BURST_SECONDS", 120, "The burst window, in seconds.")
register("BYLINE_MODERATION_NEW_ACCOUNT_MINUTES", 10, "Comments from accounts younger than this are held.")
register("BYLINE_MODERATION_UNDO_MINUTES", 15, "How long a moderator may undo a decision.")
register(
    "BYLINE_MODERATION_DIGEST_HOURS",
    6,
    "Least interval between two digests of pending comments emailed to moderators (moderation_digest).",
)
register("BYLINE_MODERATION_GROUP", "Moderator", "Name of the group whose members may use /moderate/.")
