"""Errors the domain raises. Each carries a message fit to show a person."""

from __future__ import annotations

from cairn.domain.text import _


# The name is short on purpose: `except Invalid` reads well at every call site.
class Invalid(ValueError):
    """A value a person typed is not acceptable; .message is the text to show them."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DomainError(Exception):
    """A command broke a rule of the domain; the message says which, in plain English."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The thing a command names does not exist."""


class InvalidTransition(DomainError):
    """The command is not allowed in the aggregate's current state."""


class StaleState(DomainError):
    """Someone else changed the aggregate after the person looked at it."""

    def __init__(
        self,
        message: str | None = None,
    ) -> None:
        super().__init__(
            message
            or _(
                "This changed while you were looking at it. Check the latest details and try again."
            )
        )


class DuplicateEmail(DomainError):
    """An account with that email already exists."""
