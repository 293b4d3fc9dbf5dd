"""Turns an outbox row into (recipient, letter), reading what it needs from the log."""

from __future__ import annotations

from contextlib import suppress

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.email_change import EmailChange
from cairn.domain.accounts.email_check import EmailCheck
from cairn.domain.accounts.reset import PasswordReset
from cairn.domain.directory.claim import ListingClaim
from cairn.domain.directory.invitation import Invitation
from cairn.domain.directory.provider import Provider
from cairn.domain.enquiries.enquiry import Enquiry
from cairn.domain.errors import NotFound
from cairn.jobs.mail.account_letters import AccountLetters
from cairn.jobs.mail.directory_letters import DirectoryLetters
from cairn.jobs.mail.enquiry_letters import EnquiryLetters
from cairn.jobs.mail.learning_letters import LearningLetters
from cairn.jobs.mail.letters import Gettext, Letter, Recipient, person
from cairn.readmodels.mail.kinds import LEARNING_NOTICES, TO_ENQUIRER, Kind
from cairn.readmodels.mail.queue import OutboxItem


class Composer(AccountLetters, DirectoryLetters, EnquiryLetters, LearningLetters):
    def recipient(self, item: OutboxItem) -> Recipient | None:
        """Who it goes to, in which language; None when they are erased."""
        kind = item.kind
        if kind in TO_ENQUIRER:
            enquiry = self.app.load(Enquiry, item.event_id)
            return person(enquiry.reply_email, enquiry.name, enquiry.language)
        if kind in LEARNING_NOTICES:
            member = self.app.load(Account, item.record_id)
            # Turned off (or disabled) since it was enqueued: nobody to send to now.
            if member.is_disabled or not member.wants_learning_notices:
                return None
            return person(member.email, member.display_name, member.language)
        if kind is Kind.WEEKLY_DIGEST:
            admin = self.app.load(Account, item.record_id)
            return (
                None
                if admin.is_disabled
                else person(admin.email, admin.display_name, admin.language)
            )
        if kind in (Kind.CLAIM_RECEIVED, Kind.CLAIM_DECLINED):
            claim = self.app.load(ListingClaim, item.event_id)
            return person(claim.email, claim.name, claim.language)
        if kind is Kind.INVITATION:
            invitation = self.app.load(Invitation, item.event_id)
            if invitation.claim_id is not None:
                claim = self.app.load(ListingClaim, invitation.claim_id)
                return person(claim.email, claim.name, invitation.language)
        if kind is Kind.EMAIL_CHECK:
            check = self.app.load(EmailCheck, item.event_id)
            account = self.app.load(Account, check.account_id)
            if account.email_confirmed_on is not None:
                return None  # confirmed meanwhile (by another link): nothing to ask
            return person(account.email, account.display_name, check.language)
        if kind in (Kind.EMAIL_CHANGE_LINK, Kind.EMAIL_CHANGE_NOTICE):
            change = self.app.load(EmailChange, item.event_id)
            account = self.app.load(Account, change.account_id)
            to_new = kind is Kind.EMAIL_CHANGE_LINK
            address = change.new_email if to_new else change.email
            return person(address, account.display_name, change.language)
        if kind is Kind.EMAIL_CHANGED:
            account = self.app.load(Account, item.event_id)
            previous = self._event(item).previous
            return person(previous, account.display_name, account.language)
        if kind is Kind.PASSWORD_RESET:
            reset = self.app.load(PasswordReset, item.event_id)
            account = self.app.load(Account, reset.account_id)
            return person(account.email, account.display_name, reset.language)
        provider = self.app.load(Provider, self._provider_id(item))
        language = "en"
        if kind is Kind.INVITATION:
            language = self.app.load(Invitation, item.event_id).language
        elif provider.account_id is not None:
            with suppress(NotFound):  # an account made for it and since removed
                language = self.app.load(Account, provider.account_id).language
        return person(provider.email, provider.contact_name, language)

    def letter(self, item: OutboxItem, to: Recipient, _: Gettext) -> Letter:
        """The letter of the row's kind: the method `_<kind with underscores>`."""
        write = getattr(self, "_" + item.kind.value.replace("-", "_"))
        letter: Letter = write(item, to, _)
        return letter
