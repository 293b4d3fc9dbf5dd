"""Invitations: how the people behind imported listings get an account (see invitation.py)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.roles import Role
from cairn.domain.directory.claim import ListingClaim
from cairn.domain.directory.command_base import CommandsBase
from cairn.domain.directory.invitation import Invitation
from cairn.domain.directory.lifecycle import Status
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import DomainError, NotFound
from cairn.domain.outcome import Done
from cairn.domain.personal import is_erased
from cairn.domain.text import _

# Listings whose people may be invited: on the directory or on their way to it.
INVITABLE = frozenset(
    {Status.APPROVED, Status.SUSPENDED, Status.APPLIED, Status.UNDER_REVIEW, Status.INFO_REQUESTED}
)


class InvitingCommands(CommandsBase):
    def invite(self, provider_id: UUID, *, by: UUID, language: str = "en") -> Done:
        provider = self.app.load(Provider, provider_id)
        self._require_invitable(provider)
        invitation = Invitation(provider_id=provider_id, by=by, language=language)
        return Done(invitation.id, self.app.record(invitation))

    def invite_all(self, candidates: Iterable[UUID], *, by: UUID, language: str = "en") -> int:
        """Invite every candidate that still has no account (each decides for itself, so a
        stale list from a read model only skips); returns how many were invited."""
        sent = 0
        for provider_id in candidates:
            try:
                self.invite(provider_id, by=by, language=language)
            except DomainError:
                continue
            sent += 1
        return sent

    def invitation(self, invitation_id: UUID) -> tuple[Invitation, Provider]:
        """The invitation and its listing if the link may still be taken up; raises if not."""
        try:
            invitation = self.app.load(Invitation, invitation_id)
        except NotFound:
            message = _("This invitation link is not right. Ask the CIC for another.")
            raise NotFound(message) from None
        invitation.check_usable(self.app.clock())
        provider = self.app.load(Provider, invitation.provider_id)
        if provider.account_id is not None:
            raise DomainError(_("This listing already has an account. Sign in instead."))
        return invitation, provider

    def invitee(self, invitation: Invitation, provider: Provider) -> tuple[str, str]:
        """Who the invitation is for: (email, name). The listing's own address, or the
        claimant's whose claim the CIC approved."""
        if invitation.claim_id is not None:
            claim = self.app.load(ListingClaim, invitation.claim_id)
            return claim.email, claim.name
        return provider.email, provider.contact_name

    def accept_invitation(self, invitation_id: UUID, *, password: str, language: str) -> Done:
        """Make the account with the invitee's email and link it, spending the invitation."""
        invitation, provider = self.invitation(invitation_id)
        email, name = self.invitee(invitation, provider)
        account_id = self.accounts.account_id_for(email)
        if account_id is not None:
            # They have an account already (a team member, say): the listing joins it.
            account = self.app.load(Account, account_id)
            if not account.has_role(Role.PROVIDER):
                account.grant(Role.PROVIDER)
            account.confirm_email(self.today())  # the invitation reached them there
            provider.link_account(account.id)
            invitation.accept(account.id, self.app.clock())
            return Done(account.id, self.app.record(account, provider, invitation))
        account = self.accounts.new_account(email, name, [Role.PROVIDER], password, language)
        account.confirm_email(self.today())  # the invitation reached them there
        provider.link_account(account.id)
        invitation.accept(account.id, self.app.clock())
        position = self.accounts.save_new(account, provider, invitation)
        return Done(account.id, position)

    def _require_invitable(self, provider: Provider) -> None:
        if provider.account_id is not None:
            raise DomainError(_("This provider already has an account."))
        if provider.status not in INVITABLE or is_erased(provider.email):
            raise DomainError(_("Only a provider on the directory, or applying, can be invited."))
