"""The CIC's own working file on a provider: who on the desk is dealing with it, and the notes
administrators leave one another about it.

It is an aggregate of its own, not part of the Provider: taking an item or writing a note must
never make another administrator's decision on the provider stale (the provider's version is
what a decision form sends back), and nothing here is ever part of what the provider or the
public sees. Its id is derived from the provider's, so the first note and the first "assign to
me" made at once collide in the event store instead of making two files."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import InvalidTransition
from cairn.domain.personal import personal
from cairn.domain.validation import _

NOTE_MAX_LENGTH = 2000


def desk_file_id(provider_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"cairn:desk-file:{provider_id}")


class DeskFile(Aggregate):
    class Opened(Aggregate.Created):
        provider_id: UUID

    class Assigned(Aggregate.Event):
        by: UUID
        # The administrator's account now dealing with it; None when it is given back.
        assignee: UUID | None

    class NoteAdded(Aggregate.Event):
        by: UUID
        # Repeated on every note so that its key is the provider record's (see below).
        provider_id: UUID
        text: str

    @event(Opened)
    def __init__(self, id: UUID, provider_id: UUID) -> None:
        # `id` (from desk_file_id) becomes the aggregate's id, not an attribute of the event.
        self.provider_id = provider_id
        self.assignee: UUID | None = None
        self.notes: list[tuple[UUID, str]] = []

    def assign(self, by: UUID, assignee: UUID) -> None:
        if self.assignee == assignee:
            raise InvalidTransition(_("This is already assigned to that administrator."))
        self._assigned(by=by, assignee=assignee)

    def unassign(self, by: UUID) -> None:
        if self.assignee is None:
            raise InvalidTransition(_("Nobody is assigned to this."))
        self._assigned(by=by, assignee=None)

    @event(Assigned)
    def _assigned(self, by: UUID, assignee: UUID | None) -> None:
        self.assignee = assignee

    def add_note(self, by: UUID, text: str) -> None:
        if not text.strip():
            raise InvalidTransition(_("Write the note first."))
        self._note_added(by=by, provider_id=self.provider_id, text=text.strip())

    @event(NoteAdded)
    def _note_added(self, by: UUID, provider_id: UUID, text: str) -> None:
        self.notes = [*self.notes, (by, text)]


def open_desk_file(provider_id: UUID) -> DeskFile:
    return DeskFile(id=desk_file_id(provider_id), provider_id=provider_id)


# A note is about the provider and may say anything about the person running it: it is under
# the provider record's key (`subject_for_id(provider id)`), which erasing the provider shreds.
personal(DeskFile.NoteAdded, fields=("text",), subject="provider_id")
