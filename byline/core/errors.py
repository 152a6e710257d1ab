"""One error hierarchy for Byline. Services raise these; views turn them into a page or a form message."""


class BylineError(Exception):
    """Base of every error a user may be shown. `message` is written for the user, `code` for machines."""

    code = "error"
    status = 400
    default_message = "Something about that request was not right."

    def __init__(self, message: str | None = None, *, code: str | None = None, field: str | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.field = field
        super().__init__(self.message)


class InvalidInput(BylineError):
    code = "invalid"
    status = 400


class PermissionDenied(BylineError):
    code = "forbidden"
    status = 403
    default_message = "You are not allowed to do that."


class NotFound(BylineError):
    code = "not_found"
    status = 404
    default_message = "We could not find that."


class Conflict(BylineError):
    code = "conflict"
    status = 409
    default_message = "That changed while you were looking at it. Reload and try again."


class RateLimited(BylineError):
    code = "rate_limited"
    status = 429
    default_message = "You are doing that too often. Please wait a little and try again."

    def __init__(self, message: str | None = None, *, retry_after: int = 60, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServiceUnavailable(BylineError):
    code = "unavailable"
    status = 503
    default_message = "This part of the site is not available right now."
