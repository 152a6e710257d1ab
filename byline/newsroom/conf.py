"""The newsroom's BYLINE_* settings: feeds, structured data, preview links. See docs/discovery.md."""

from byline.core.conf import register

register(
    "BYLINE_FEED_FULL_TEXT",
    True,
    "Feeds carry each article's full text (true) or only its standfirst (false).",
)
register("BYLINE_FEED_SIZE", 30, "How many of the latest articles each RSS, Atom and JSON feed lists.")
register(
    "BYLINE_PUBLISHER_LOGO_URL",
    "",
    "Absolute URL of the outlet's logo for search engines' structured data; empty uses the site icon.",
)
register("BYLINE_TWITTER_SITE", "", "The outlet's @handle for Twitter/X cards; empty leaves the tag out.")
register(
    "BYLINE_PREVIEW_LINK_MAX_AGE",
    3 * 24 * 3600,
    "Seconds a shared draft-preview link keeps working after it was made (default three days).",
)
register("BYLINE_RELATED_ARTICLES", 4, "How many related articles the article page suggests.")
register(
    "BYLINE_SEARCH_RATE_PER_MINUTE",
    60,
    "Most site searches from one network in a minute (then 429 with Retry-After).",
)
