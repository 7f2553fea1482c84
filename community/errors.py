"""The few domain exceptions services raise.

The JSON API turns them into the contract's error body, the HTML views into
an error page or a flash message, so no service ever knows about HTTP.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 fields: dict[str, str] | None = None):
        super().__init__(str(message or code or self.code))
        if code:
            self.code = code
        self.message = message  # None: the error handler words it from ``code``
        self.fields = fields


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class Forbidden(DomainError):
    """403; ``code`` is one of forbidden, banned, muted, locked."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """404; also for things that exist but that the caller may not see."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class RateLimited(DomainError):
    """429; ``retry_after`` is the whole seconds until another attempt may be let through."""

    status = 429
    code = "rate_limited"

    def __init__(self, retry_after: int, message: str | None = None):
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


class Invalid(DomainError):
    """422 with ``fields``: each failing field and what is wrong with it."""

    status = 422
    code = "invalid"

    def __init__(self, fields: dict[str, str], message: str | None = None):
        super().__init__(message, fields=fields)
