"""Claims from the public profile: "this is my listing" (see claim.py)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from cairn.domain.directory.checks import EMAILED_LINK_ACTOR
from cairn.domain.directory.claim import ListingClaim
from cairn.domain.directory.command_base import CommandsBase
from cairn.domain.directory.invitation import Invitation
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import DomainError
from cairn.domain.outcome import Done
from cairn.domain.text import _
from cairn.domain.validation import Invalid, clean_text, normalise_email

NOTE_MAX_LENGTH = 1000


@dataclass(frozen=True)
class ClaimOutcome:
    done: Done
    to_listing_address: bool  # True: a link went to the listing's email; False: the CIC checks


class ClaimingCommands(CommandsBase):
    def claim_listing(
        self, provider_id: UUID, *, name: str, email: str, note: str, language: str = "en"
    ) -> ClaimOutcome:
        try:
            email = normalise_email(email)
            name = clean_text(name, max_length=120)
            note = clean_text(note, max_length=NOTE_MAX_LENGTH, min_length=0, multiline=True)
        except Invalid as error:
            raise DomainError(error.message) from None
        provider = self.app.load(Provider, provider_id)
        if provider.public_listing() is None:
            raise DomainError(_("Only a listing on the directory can be claimed."))
        if provider.account_id is not None:
            raise DomainError(
                _(
                    "Someone already looks after this listing. If it is you, sign in; "
                    "if not, get in touch with the CIC."
                )
            )
        if email.casefold() == provider.email.casefold():
            invitation = Invitation(
                provider_id=provider_id, by=EMAILED_LINK_ACTOR, language=language
            )
            return ClaimOutcome(Done(invitation.id, self.app.record(invitation)), True)
        claim = ListingClaim(
            provider_id=provider_id, name=name, email=email, note=note, language=language
        )
        return ClaimOutcome(Done(claim.id, self.app.record(claim)), False)

    def approve_claim(self, claim_id: UUID, *, by: UUID) -> Done:
        """The CIC is satisfied: the claimant gets an invitation at their own address."""
        claim = self.app.load(ListingClaim, claim_id)
        provider = self.app.load(Provider, claim.provider_id)
        if provider.account_id is not None:
            raise DomainError(_("This provider already has an account."))
        invitation = Invitation(
            provider_id=claim.provider_id, by=by, language=claim.language, claim_id=claim.id
        )
        claim.approve(by=by, invitation_id=invitation.id)
        return Done(claim.id, self.app.record(claim, invitation))

    def decline_claim(self, claim_id: UUID, *, by: UUID, reason: str) -> Done:
        claim = self.app.load(ListingClaim, claim_id)
        if not reason.strip():
            raise DomainError(_("Say why, so the person knows what to do next."))
        try:
            reason = clean_text(reason, max_length=2000, multiline=True)
        except Invalid as error:
            raise DomainError(error.message) from None
        claim.decline(by=by, reason=reason)
        return Done(claim.id, self.app.record(claim))
