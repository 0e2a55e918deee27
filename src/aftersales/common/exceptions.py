"""Errors that services raise; views and the API turn them into 400/404/409."""

from django.core.exceptions import ValidationError


class ConflictError(Exception):
    """An action that the record's current state does not allow (HTTP 409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


__all__ = ["ConflictError", "ValidationError"]
