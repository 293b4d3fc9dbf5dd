"""What every group of directory commands shares: the application, today, and how one
command loads a provider, acts on it and records it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from cairn.domain.accounts.commands import AccountCommands
from cairn.domain.clock import today as today_of
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import InvalidTransition
from cairn.domain.outcome import Done
from cairn.domain.validation import Invalid, clean_text

if TYPE_CHECKING:
    from cairn.domain.store import Store


class CommandsBase:
    def __init__(self, app: Store) -> None:
        self.app = app
        self.accounts = AccountCommands(app)  # stateless: the same store's account rules

    def today(self) -> date:
        return today_of(self.app.clock)

    def _act(
        self, provider_id: UUID, expected_version: int | None, action: Callable[[Provider], Any]
    ) -> Done:
        provider = self.app.load(Provider, provider_id, expected_version)
        action(provider)
        return Done(provider.id, self.app.record(provider))

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _text(text: str, max_length: int, *, required: bool = True) -> str:
        """Free text from a person: tidied and length-checked; an empty one may be allowed."""
        if not required and not text.strip():
            return ""
        try:
            return clean_text(text, max_length=max_length, multiline=True)
        except Invalid as error:
            raise InvalidTransition(error.message) from None
