"""Commands for moving an account to another email address (see email_change.py).

The person keeps their one key: before the change is saved, the key store leads the new
address to the subject the old one led to (unless the new address already has a subject of
its own, such as a listing's email: then erasure finds both through the account) and the
old address to nothing, so someone who registers it later starts with a key of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from cairn.domain.accounts.account import Account, EmailIndex, email_key
from cairn.domain.accounts.commands import AccountCommands, WrongPassword
from cairn.domain.accounts.email_change import EmailChange
from cairn.domain.accounts.passwords import verify_password
from cairn.domain.accounts.reset import LinkUsed
from cairn.domain.clock import today
from cairn.domain.errors import DomainError, DuplicateEmail, NotFound
from cairn.domain.outcome import Done
from cairn.domain.text import _
from cairn.domain.validation import Invalid, normalise_email

if TYPE_CHECKING:
    from cairn.domain.store import Store

# What ends a change link asked for before it: the address or password moved on meanwhile.
_ENDS_A_LINK = (Account.EmailChanged, Account.PasswordChanged, Account.Disabled)


class AddressTaken(DomainError):
    """Another account signs in with the new address."""


class EmailChangeCommands:
    def __init__(self, app: Store) -> None:
        self.app = app

    def request_change(
        self, account_id: UUID, password: str, new_email: str, language: str
    ) -> Done:
        """Email a link to the new address (and a notice to the current one)."""
        account = self.app.load(Account, account_id)
        if account.is_disabled or not verify_password(account.password_hash, password):
            raise WrongPassword(_("Your password is not right. Check it and try again."))
        try:
            new_email = normalise_email(new_email)
        except Invalid as error:
            raise DomainError(error.message) from error
        if email_key(new_email) == email_key(account.email):
            raise DomainError(_("That is already your email address."))
        change = EmailChange(
            account_id=account_id,
            email=account.email,
            new_email=new_email,
            account_version=account.version,
            language=language,
        )
        return Done(change.id, self.app.record(change))

    def change(self, change_id: UUID) -> EmailChange:
        try:
            return self.app.load(EmailChange, change_id)
        except NotFound:
            raise LinkUsed(_("This link is not right. Sign in and ask again.")) from None

    def check_link(self, change_id: UUID) -> EmailChange:
        """The request, if its link may still change the address; raises if not."""
        change = self.change(change_id)
        change.check_usable(self.app.clock(), self._account_changed_since(change))
        return change

    def make_change(self, change_id: UUID) -> Done:
        """Move the account to the new address: its index claimed, the old one released,
        the person's key following them; all saved at once."""
        change = self.change(change_id)
        change.make(self.app.clock(), self._account_changed_since(change))
        account = self.app.load(Account, change.account_id)
        old_email = account.email
        claim = self._claim(change.new_email, account.id)
        old_index = self.app.load(EmailIndex, EmailIndex.create_id(old_email))
        old_index.release()
        account.change_email(change.new_email, today(self.app.clock))
        # The old address leads nowhere first: were the save to stop half way, the worst
        # left is a person with two keys, which erasure still finds through the account.
        keys = self.app.keys
        subject = keys.unlink_email(old_email)
        linked = subject is not None and keys.link_email(change.new_email, subject)
        try:
            position = self.app.record(account, change, claim, old_index)
        except BaseException:
            # Nothing of the change was saved: put the links back as they were.
            if linked:
                keys.unlink_email(change.new_email)
            if subject is not None:
                keys.link_email(old_email, subject, replace=True)
            raise
        return Done(account.id, position)

    def _claim(self, email: str, account_id: UUID) -> EmailIndex:
        try:
            return AccountCommands(self.app).email_claim(email, account_id)
        except DuplicateEmail:
            raise AddressTaken(
                _(
                    "{email} already has an account on Cairn, so we cannot move yours to it. "
                    "Sign in with that address instead, or ask the CIC."
                ).format(email=email)
            ) from None

    def _account_changed_since(self, change: EmailChange) -> bool:
        store = self.app.repository.event_store
        later = store.get(change.account_id, gt=change.account_version)
        return any(isinstance(e, _ENDS_A_LINK) for e in later)
