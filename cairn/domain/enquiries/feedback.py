"""What a person tells the CIC about the service itself, from the Alpha banner's link.

Anonymous by design: no name or email is asked for. The words may still describe someone
("my mum could not find..."), so they are encrypted under the feedback's own key, and
deleting it (once an administrator has dealt with it) shreds that key."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import InvalidTransition
from cairn.domain.personal import personal
from cairn.domain.text import Text, _

# How the person found the service: a fixed choice, so the answer can be counted.
VERDICTS: dict[str, Text] = {
    "easy": _("Easy to use"),
    "mixed": _("Some parts were hard"),
    "hard": _("Hard to use"),
}
TEXT_MAX_LENGTH = 1200
PAGE_MAX_LENGTH = 200


class Feedback(Aggregate):
    class Received(Aggregate.Created):
        verdict: str  # a key of VERDICTS
        page: str  # the local path the person came from, without its query string
        text: str

    class DealtWith(Aggregate.Event):
        by: UUID

    class Deleted(Aggregate.Event):
        by: UUID

    @event(Received)
    def __init__(self, verdict: str, page: str, text: str) -> None:
        self.verdict = verdict
        self.page = page
        self.text = text
        self.dealt_with_by: UUID | None = None
        self.deleted = False

    def deal_with(self, by: UUID) -> None:
        if self.deleted:
            raise InvalidTransition(_("This feedback has been deleted."))
        if self.dealt_with_by is not None:
            raise InvalidTransition(_("This feedback is already marked as dealt with."))
        self._dealt_with(by=by)

    @event(DealtWith)
    def _dealt_with(self, by: UUID) -> None:
        self.dealt_with_by = by

    def delete(self, by: UUID) -> None:
        """Its key is shredded by the caller first, so its words read back as erased."""
        if self.deleted:
            raise InvalidTransition(_("This feedback has been deleted."))
        self._deleted(by=by)

    @event(Deleted)
    def _deleted(self, by: UUID) -> None:
        self.deleted = True


# No `feedback_key` field exists, so the subject is the feedback's own id.
personal(Feedback.Received, fields=("text",), subject="feedback_key")
