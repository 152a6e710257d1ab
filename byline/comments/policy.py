"""The moderation seam: posting asks the function named by BYLINE_COMMENT_POLICY for a verdict."""


def approve_all(comment) -> tuple[str, str]:
    return ("approve", "no policy configured")
