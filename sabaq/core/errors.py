"""Errors that services raise and every view and API renders the same way."""

from django.core.exceptions import ValidationError

__all__ = ["ApplicationError", "ValidationError"]


class ApplicationError(Exception):
    """A request that cannot be done as asked; `message` is shown to the person.

    Field-level problems are `django.core.exceptions.ValidationError` with a
    dict of messages keyed by field name.
    """

    def __init__(self, message: str, *, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
