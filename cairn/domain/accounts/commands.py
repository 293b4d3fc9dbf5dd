"""Commands on accounts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from uuid import UUID

from cairn.domain.accounts.account import Account, EmailIndex
from cairn.domain.accounts.passwords import check_password_rules, hash_password, verify_password
from cairn.domain.accounts.reset import LinkUsed, PasswordReset
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
        self,
        email: str,
        display_name: str,
        roles: Iterable[Role],
        password: str,
        language: str = "en",
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
        if self.account_id_for(email) is not None:
            raise DuplicateEmail(
                _("An account with the email {email} already exists.").format(email=email)
            )
        return Account(
            email=email,
            display_name=display_name,
            roles=tuple(r.value for r in roles),
            password_hash=hash_password(password),
            language=language,
        )

    def register(
        self,
        email: str,
        display_name: str,
        roles: Iterable[Role],
        password: str,
        language: str = "en",
    ) -> Done:
        account = self.new_account(email, display_name, roles, password, language)
        position = self.save_new(account)
        return Done(account.id, position)

    def save_new(self, account: Account, *others: object) -> int:
        """Save a new account with its email claim (and any other new aggregates) atomically."""
        claim = self.email_claim(account.email, account.id)
        try:
            return self.app.record(account, claim, *others)  # type: ignore[arg-type]
        except StaleState as error:
            # The claim collided: someone registered this email a moment ago.
            raise DuplicateEmail(_taken(account.email)) from error

    def email_claim(self, email: str, account_id: UUID) -> EmailIndex:
        """The email's index, claimed for the account (not saved); raises if it is taken.
        An address another account moved away from is claimed again."""
        index_id = EmailIndex.create_id(email)
        if not self.app.exists(index_id):
            return EmailIndex(email=email, account_id=account_id)
        index = self.app.load(EmailIndex, index_id)
        if index.account_id is not None:
            raise DuplicateEmail(_taken(email))
        index.reclaim(email, account_id)
        return index

    def account_id_for(self, email: str) -> UUID | None:
        """The account that signs in with this email, if any."""
        index_id = EmailIndex.create_id(email)
        if not self.app.exists(index_id):
            return None
        return self.app.load(EmailIndex, index_id).account_id

    def grant_role(self, account_id: UUID, role: Role) -> Done:
        account = self.app.load(Account, account_id)
        account.grant(role)
        return Done(account.id, self.app.record(account))

    def make_partnership_lead(self, account_id: UUID, *, by: UUID) -> Done:
        """A CIC administrator gives an existing account the partnership-lead role."""
        self._require_admin(by)
        return self.grant_role(account_id, Role.PARTNERSHIP_LEAD)

    def want_learning_notices(self, account_id: UUID, wanted: bool) -> Done:
        """The person's own choice: emails about comments and reviews in their teams."""
        account = self.app.load(Account, account_id)
        account.want_learning_notices(wanted)
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


def _taken(email: str) -> str:
    return _("An account with the email {email} already exists.").format(email=email)


class WrongPassword(DomainError):
    """The current password given to change it was not right."""


class ResetCommands:
    """Forgotten passwords: a request (emailed as a link) and the new password it allows."""

    def __init__(self, app: Store) -> None:
        self.app = app

    def request_reset(self, email: str, language: str) -> Done | None:
        """A link for the account with this email, or None when there is none (or it is
        disabled). The web layer answers the same either way, so nobody learns who has one."""
        try:
            account_id = AccountCommands(self.app).account_id_for(normalise_email(email))
        except Invalid:
            return None
        if account_id is None:
            return None
        account = self.app.load(Account, account_id)
        if account.is_disabled:
            return None
        reset = PasswordReset(
            account_id=account_id, account_version=account.version, language=language
        )
        return Done(reset.id, self.app.record(reset))

    def reset(self, reset_id: UUID) -> PasswordReset:
        try:
            return self.app.load(PasswordReset, reset_id)
        except NotFound:
            raise LinkUsed(_("This link is not right. Ask for a new one below.")) from None

    def check_link(self, reset_id: UUID) -> PasswordReset:
        """The request, if its link may still set a password; raises LinkUsed or LinkExpired."""
        reset = self.reset(reset_id)
        reset.check_usable(self.app.clock(), self._password_changed_since(reset))
        return reset

    def set_password(self, reset_id: UUID, password: str) -> Done:
        """Set the new password and spend the link, in one save."""
        reset = self.reset(reset_id)
        reset.use(self.app.clock(), self._password_changed_since(reset))
        account = self.app.load(Account, reset.account_id)
        if account.is_disabled:
            raise DomainError(_("This account is disabled. Ask the CIC to enable it."))
        check_password_rules(password, email=account.email, names=[account.display_name])
        account.change_password(hash_password(password), by=account.id)
        account.confirm_email(self.app.clock().date())  # the link reached them there
        return Done(account.id, self.app.record(reset, account))

    def _password_changed_since(self, reset: PasswordReset) -> bool:
        later = self.app.repository.event_store.get(reset.account_id, gt=reset.account_version)
        return any(isinstance(e, Account.PasswordChanged) for e in later)
