"""The importers' BYLINE_* settings (documented in docs/imports.md)."""

from byline.core.conf import register

register(
    "BYLINE_IMPORT_MAX_COMMENT_CHARS",
    100_000,
    "Longest imported comment, in characters; longer ones are skipped and listed in the report.",
)
register("BYLINE_IMPORT_BATCH_SIZE", 2000, "Comments written per bulk insert during an import.")
register(
    "BYLINE_IMPORT_PROGRESS_SECONDS",
    5,
    "When the output is not a terminal, seconds between two progress lines of a long import.",
)
