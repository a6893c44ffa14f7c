"""Errors as values: a code and a sentence the user can act on.

Services raise ValidationError; the HTML views turn it into form errors and the API into
`422 {"error": {"code", "message", "fields"}}`.
"""

from __future__ import annotations


class ValidationError(Exception):
    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        fields: dict[str, str] | None = None,
        code: str = "invalid",
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.fields: dict[str, str] = dict(fields or {})
        if field:
            self.fields.setdefault(field, self.message)


class PermissionDenied(Exception):
    """Raised by services when the acting user may not do what was asked."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or "")
        self.message = message


class NotFound(Exception):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or "")
        self.message = message
