"""The CIC asks a listed provider without an account to make one: a link sent by email.

Imported listings have no account; this is how their people get in. The link carries the
invitation's id and a MAC of it (made outside the domain). Taking it up makes the account
with the listing's email, links it to the listing and spends the invitation, in one save."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cairn.domain.accounts.reset import LinkExpired, LinkUsed
from cairn.domain.text import _

INVITATION_LASTS = timedelta(days=14)


class Invitation(Aggregate):
    class Sent(Aggregate.Created):
        provider_id: UUID
        by: UUID
        language: str  # the language of the email (and of the page it opens)
        # A claim the CIC approved: the invitation goes to the claimant's address, and the
        # account is made with it. None: to the listing's own address.
        claim_id: UUID | None = None

    class Accepted(Aggregate.Event):
        account_id: UUID

    @event(Sent)
    def __init__(
        self, provider_id: UUID, by: UUID, language: str, claim_id: UUID | None = None
    ) -> None:
        self.provider_id = provider_id
        self.by = by
        self.language = language
        self.claim_id = claim_id
        self.accepted_by: UUID | None = None

    def check_usable(self, now: datetime) -> None:
        if self.accepted_by is not None:
            raise LinkUsed(_("This invitation has already been used. Sign in instead."))
        if now - self.created_on > INVITATION_LASTS:
            raise LinkExpired(
                _(
                    "This invitation has expired: invitations work for 14 days. "
                    "Ask the CIC to send another."
                )
            )

    def accept(self, account_id: UUID, now: datetime) -> None:
        self.check_usable(now)
        self._accepted(account_id=account_id)

    @event(Accepted)
    def _accepted(self, account_id: UUID) -> None:
        self.accepted_by = account_id
