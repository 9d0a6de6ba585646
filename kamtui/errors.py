"""Errors a user can cause and must be told about in one clear line."""

from __future__ import annotations


class KamError(Exception):
    """A problem the user can fix; shown as one line, never as a traceback."""


class ValidationError(KamError):
    """A value that cannot be saved. ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class ValidationErrors(ValidationError):
    """Several values that cannot be saved, each with its message (``errors``: field name →
    message, in form order). Reads as the first one where only one is shown."""

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(field, message)
        self.errors = dict(errors)

    @staticmethod
    def of(exc: ValidationError) -> dict[str, str]:
        """Every field's message in ``exc``, one or many."""
        return exc.errors if isinstance(exc, ValidationErrors) else {exc.field: exc.message}


class StaleError(KamError):
    """Someone else changed the record since it was read: reload before editing."""


class NotFoundError(KamError):
    """The record is gone (deleted elsewhere)."""


class BusyError(KamError):
    """Another program holds the database's write lock past our wait: nothing was saved.

    The change can simply be made again once the other program has finished saving.
    """

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "The database is busy (another kam is saving); nothing was changed — try again"
        )


class DatabaseUnavailable(KamError):
    """The database server cannot be used: not reachable, login refused, no such
    database, too old, or its driver is not installed. ``reason`` says which, one of
    ``refused``, ``auth``, ``no-database``, ``too-old``, ``driver``, ``other``."""

    def __init__(self, message: str, *, reason: str = "other") -> None:
        super().__init__(message)
        self.reason = reason
