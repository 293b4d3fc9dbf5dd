""" "This is my listing": someone asks, from a public profile, to look after a listing that
has no account yet.

If they give the listing's own email address, an invitation goes to that address (whoever
reads it can take it up, as when the CIC invites). If they give another address, the CIC
looks at the claim first: approving it sends the invitation to the claimant's address;
declining tells them why. The claimant's name, email and note are theirs (under their email's
key)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import InvalidTransition
from cairn.domain.personal import personal
from cairn.domain.text import _


class ListingClaim(Aggregate):
    class Made(Aggregate.Created):
        provider_id: UUID
        name: str
        email: str
        note: str
        language: str

    class Approved(Aggregate.Event):
        by: UUID
        invitation_id: UUID

    class Declined(Aggregate.Event):
        by: UUID
        reason: str

    @event(Made)
    def __init__(self, provider_id: UUID, name: str, email: str, note: str, language: str) -> None:
        self.provider_id = provider_id
        self.name = name
        self.email = email
        self.note = note
        self.language = language
        self.decided = False

    def approve(self, by: UUID, invitation_id: UUID) -> None:
        self._require_open()
        self._approved(by=by, invitation_id=invitation_id)

    @event(Approved)
    def _approved(self, by: UUID, invitation_id: UUID) -> None:
        self.decided = True

    def decline(self, by: UUID, reason: str) -> None:
        self._require_open()
        if not reason.strip():
            raise InvalidTransition(_("Say why, so the person knows what to do next."))
        self._declined(by=by, reason=reason.strip())

    @event(Declined)
    def _declined(self, by: UUID, reason: str) -> None:
        self.decided = True

    def _require_open(self) -> None:
        if self.decided:
            raise InvalidTransition(_("This claim has already been decided."))


personal(ListingClaim.Made, fields=("name", "email", "note"), subject="email")
