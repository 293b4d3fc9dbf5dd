"""Commands on accounts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from uuid import UUID

from cairn.domain.accounts.account import Account, EmailIndex
from cairn.domain.accounts.passwords import check_password_rules, hash_password, verify_password
from cairn.domain.accounts.roles import Role
from cairn.domain.errors import DomainError, DuplicateEmail, NotFound, StaleState
from cairn.domain.outcome import Done
from cairn.domain.text import _
from cairn.domain.validation import Invalid, normalise_email

if TYPE_CHECKING:
    from cairn.domain.store import Store


class AccountCommands:
    def __init__(self, app: Store) -> None:
        self.app = app

    def new_account(
        self, email: str, display_name: str, roles: Iterable[Role], password: str
    ) -> Account:
        """Build (but do not save) an account and its email claim; raises if the email is taken."""
        try:
            email = normalise_email(email)
        except Invalid as error:
            raise DomainError(error.message) from error
        display_name = display_name.strip()
        if not display_name:
            raise DomainError(_("Enter a display name."))
        check_password_rules(password, email=email, names=[display_name])
        if self.app.exists(EmailIndex.create_id(email)):
            raise DuplicateEmail(
                _("An account with the email {email} already exists.").format(email=email)
            )
        return Account(
            email=email,
            display_name=display_name,
            roles=tuple(r.value for r in roles),
            password_hash=hash_password(password),
        )

    def register(self, email: str, display_name: str, roles: Iterable[Role], password: str) -> Done:
        account = self.new_account(email, display_name, roles, password)
        position = self.save_new(account)
        return Done(account.id, position)

    def save_new(self, account: Account, *others: object) -> int:
        """Save a new account with its email claim (and any other new aggregates) atomically."""
        claim = EmailIndex(email=account.email, account_id=account.id)
        try:
            return self.app.record(account, claim, *others)  # type: ignore[arg-type]
        except StaleState as error:
            # The claim collided: someone registered this email a moment ago.
            raise DuplicateEmail(
                _("An account with the email {email} already exists.").format(email=account.email)
            ) from error

    def account_id_for(self, email: str) -> UUID | None:
        index_id = EmailIndex.create_id(email)
        if not self.app.exists(index_id):
            return None
        return self.app.load(EmailIndex, index_id).account_id

    def grant_role(self, account_id: UUID, role: Role) -> Done:
        account = self.app.load(Account, account_id)
        account.grant(role)
        return Done(account.id, self.app.record(account))

    def change_password(self, account_id: UUID, current: str, new: str) -> Done:
        """The person changes their own password: the current one proves it is them."""
        account = self.app.load(Account, account_id)
        if account.is_disabled or not verify_password(account.password_hash, current):
            raise WrongPassword(_("Your current password is not right. Check it and try again."))
        if new == current:
            raise DomainError(_("Choose a new password that is different from your current one."))
        check_password_rules(new, email=account.email)
        account.change_password(hash_password(new), by=account_id)
        return Done(account.id, self.app.record(account))

    def disable(self, account_id: UUID, reason: str, *, by: UUID) -> Done:
        self._require_admin(by)
        account = self.app.load(Account, account_id)
        account.disable(reason, by=by)
        return Done(account.id, self.app.record(account))

    def enable(self, account_id: UUID, reason: str, *, by: UUID) -> Done:
        self._require_admin(by)
        account = self.app.load(Account, account_id)
        account.enable(reason, by=by)
        return Done(account.id, self.app.record(account))

    def _require_admin(self, by: UUID) -> None:
        """Only an enabled CIC administrator may disable or enable accounts."""
        try:
            actor = self.app.load(Account, by)
        except NotFound:
            actor = None
        if actor is None or actor.is_disabled or not actor.has_role(Role.CIC_ADMIN):
            raise DomainError(_("Only a CIC administrator can do that."))


class WrongPassword(DomainError):
    """The current password given to change it was not right."""
