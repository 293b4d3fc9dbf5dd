"""A member of the public says something about a listing is wrong. It lands in the CIC's queue.

Reports are their own aggregate: a report does not change the listing, and the public
writing one must never make an admin's decision on the provider stale."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import InvalidTransition
from cairn.domain.personal import personal
from cairn.domain.validation import _


class ProblemCategory(StrEnum):
    UNCLEAR = "information-unclear"
    CONTACT = "contact-details-wrong"
    NOT_OPERATING = "no-longer-operating"
    AREA = "does-not-cover-area"


CATEGORY_LABELS = {
    ProblemCategory.UNCLEAR: _("The information is unclear"),
    ProblemCategory.CONTACT: _("The contact details are wrong, or nobody replies"),
    ProblemCategory.NOT_OPERATING: _("They are no longer operating"),
    ProblemCategory.AREA: _("They do not cover my area"),
}

DETAILS_MAX_LENGTH = 2000


class ProblemReport(Aggregate):
    class Reported(Aggregate.Created):
        provider_id: UUID
        category: str
        details: str
        reporter_email: str | None

    class Resolved(Aggregate.Event):
        by: UUID
        note: str

    @event(Reported)
    def __init__(
        self, provider_id: UUID, category: str, details: str, reporter_email: str | None
    ) -> None:
        self.provider_id = provider_id
        self.category = category
        self.details = details
        self.reporter_email = reporter_email
        self.resolved = False
        self.note: str | None = None

    def resolve(self, by: UUID, note: str) -> None:
        if self.resolved:
            raise InvalidTransition(_("This report has already been dealt with."))
        if not note.strip():
            raise InvalidTransition(_("Say what was done about this report."))
        self._resolved(by=by, note=note.strip())

    @event(Resolved)
    def _resolved(self, by: UUID, note: str) -> None:
        self.resolved = True
        self.note = note


# The reporter's email and what they wrote (which may quote the provider's details): under the
# report's own key, shredded when the reporter or the provider reported on is erased.
personal(ProblemReport.Reported, fields=("details", "reporter_email"), subject="")
# What the CIC did about it may repeat the report.
personal(ProblemReport.Resolved, fields=("note",), subject="")
