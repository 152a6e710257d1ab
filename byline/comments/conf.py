"""The comments app's BYLINE_* settings (documented in docs/comments.md)."""

from byline.core.conf import register

register("BYLINE_COMMENT_MAX_LENGTH", 5000, "Longest comment, in characters.")
register(
    "BYLINE_COMMENT_MAX_DEPTH", 3, "Deepest reply level; replies to deeper comments attach at this level."
)
register("BYLINE_COMMENTS_PER_PAGE", 50, "Top-level threads per page of the COMMENTS section.")
register("BYLINE_COMMENT_EDIT_MINUTES", 15, "How long after posting a reader may edit their comment.")
register(
    "BYLINE_COMMENTS_CLOSE_AFTER_DAYS", 14, "Comments close this many days after publication (0 = never)."
)
register("BYLINE_COMMENT_RATE_PER_MINUTE", 5, "Most comments one account may post in a minute.")
register("BYLINE_COMMENT_RATE_PER_DAY", 60, "Most comments one account may post in a day.")
register(
    "BYLINE_COMMENT_DUPLICATE_SECONDS",
    10,
    "The same text posted again within this many seconds is posted once.",
)
