"""The CIC desk's own work on a provider: taking an item, giving it back, internal notes.
None of it changes the provider, so none of it needs the provider's version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.roles import Role
from cairn.domain.directory.command_base import CommandsBase
from cairn.domain.directory.desk import NOTE_MAX_LENGTH, DeskFile, desk_file_id, open_desk_file
from cairn.domain.errors import DomainError, NotFound
from cairn.domain.outcome import Done
from cairn.domain.validation import _


class DeskCommands(CommandsBase):
    def assign(self, provider_id: UUID, *, by: UUID, assignee: UUID) -> Done:
        """Give the provider's queue items to an administrator (usually `by` themselves)."""
        if not self.app.exists(assignee) or not self.app.load(Account, assignee).has_role(
            Role.CIC_ADMIN
        ):
            raise DomainError(_("Only an administrator can be assigned to this."))
        return self._on_file(provider_id, lambda f: f.assign(by=by, assignee=assignee))

    def unassign(self, provider_id: UUID, *, by: UUID) -> Done:
        return self._on_file(provider_id, lambda f: f.unassign(by=by))

    def add_note(self, provider_id: UUID, *, by: UUID, text: str) -> Done:
        """A note for the other administrators: never shown to the provider."""
        text = self._text(text, NOTE_MAX_LENGTH, required=False)
        return self._on_file(provider_id, lambda f: f.add_note(by=by, text=text))

    def _on_file(self, provider_id: UUID, action: Callable[[DeskFile], Any]) -> Done:
        if not self.app.exists(provider_id):
            raise NotFound(_("There is no such provider."))
        file_id = desk_file_id(provider_id)
        desk = (
            self.app.load(DeskFile, file_id)
            if self.app.exists(file_id)
            else open_desk_file(provider_id)
        )
        action(desk)
        return Done(provider_id, self.app.record(desk))
