"""Commands on the other provision the CIC keeps beside its own directory: load a source's
services (replacing what it held) or remove the source."""

from __future__ import annotations

from uuid import UUID

from cairn.domain.directory.command_base import CommandsBase
from cairn.domain.directory.other_provision import (
    MAX_SOURCE_NAME,
    OtherService,
    ProvisionSource,
    provision_source_id,
    start_source,
)
from cairn.domain.errors import InvalidTransition, NotFound
from cairn.domain.outcome import Done
from cairn.domain.validation import Invalid, _, clean_text


class ProvisionCommands(CommandsBase):
    def load_other_provision(
        self, source_name: str, file_kind: str, services: list[OtherService], *, by: UUID
    ) -> Done:
        """All of a source's services, in one event: loading it again replaces them."""
        try:
            name = clean_text(source_name, max_length=MAX_SOURCE_NAME)
        except Invalid as error:
            raise InvalidTransition(error.message) from None
        source_id = provision_source_id(name)
        source = (
            self.app.load(ProvisionSource, source_id)
            if self.app.exists(source_id)
            else start_source(name)
        )
        source.load(by=by, source_name=name, file_kind=file_kind, services=services)
        return Done(source.id, self.app.record(source))

    def remove_other_provision(self, source_id: UUID, *, by: UUID) -> Done:
        if not self.app.exists(source_id):
            raise NotFound(_("There is no such source."))
        source = self.app.load(ProvisionSource, source_id)
        source.remove(by=by)
        return Done(source.id, self.app.record(source))
