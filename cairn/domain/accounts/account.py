"""The Account aggregate and the email index that keeps emails unique."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from cairn.domain.accounts.roles import Role
from cairn.domain.errors import DomainError
from cairn.domain.personal import is_erased, personal
from cairn.domain.validation import Invalid, _, clean_text


def email_key(email: str) -> str:
    """Emails compare without regard to case."""
    return email.strip().lower()


class Account(Aggregate):
    """A person who can sign in: a CIC admin, a team member or a provider."""

    # The events, declared so that projections read typed attributes. Their names are part
    # of the stored topics (and of the personal fields' ciphertext binding): never rename.

    class Registered(Aggregate.Created):
        email: str
        display_name: str
        roles: Sequence[str]  # a tuple when made, a list once read back from the log
        password_hash: str
        # The language Cairn writes to them in; accounts made before it was asked: English.
        language: str = "en"

    class PasswordChanged(Aggregate.Event):
        password_hash: str
        # Who changed it: not recorded before, so older events read back None.
        by: UUID | None = None

    class RoleGranted(Aggregate.Event):
        role: str

    class EmailConfirmed(Aggregate.Event):
        """The person followed a link sent to the address: it is theirs."""

        on: date

    class EmailChanged(Aggregate.Event):
        """The person confirmed a new address by a link sent to it: they sign in with it."""

        email: str
        previous: str

    class Disabled(Aggregate.Event):
        reason: str
        email: str
        by: UUID

    class Enabled(Aggregate.Event):
        reason: str
        email: str
        by: UUID

    # Whether the learning system emails this person (comments on their team's learning,
    # reviews due). On unless they turn it off on their account page.
    class LearningNoticesChanged(Aggregate.Event):
        wanted: bool

    @event(Registered)
    def __init__(
        self,
        email: str,
        display_name: str,
        roles: tuple[str, ...],
        password_hash: str,
        language: str = "en",
    ) -> None:
        self.email = email
        self.language = language
        self.display_name = display_name
        self.roles: tuple[str, ...] = tuple(roles)
        self.password_hash = password_hash
        self.is_disabled = False
        self.email_confirmed_on: date | None = None
        self.learning_notices = True

    @event(PasswordChanged)
    def change_password(self, password_hash: str, by: UUID | None = None) -> None:
        self.password_hash = password_hash

    def disable(self, reason: str, *, by: UUID) -> None:
        """Stop the account signing in; the web layer ends its sessions at once."""
        if by == self.id:
            raise DomainError(_("You cannot disable your own account."))
        if is_erased(self.email):
            raise DomainError(_("This account has been erased."))
        if self.is_disabled:
            raise DomainError(_("This account is already disabled."))
        # The account's email rides along (encrypted) so the reason shares the person's key.
        self._disabled(reason=_reason(reason), email=self.email, by=by)

    @event(Disabled)
    def _disabled(self, reason: str, email: str, by: UUID) -> None:
        self.is_disabled = True

    def enable(self, reason: str, *, by: UUID) -> None:
        if not self.is_disabled:
            raise DomainError(_("This account is not disabled."))
        self._enabled(reason=_reason(reason), email=self.email, by=by)

    @event(Enabled)
    def _enabled(self, reason: str, email: str, by: UUID) -> None:
        self.is_disabled = False

    def confirm_email(self, today: date) -> bool:
        """Record that the address is theirs; False (nothing recorded) if it already was."""
        if self.email_confirmed_on is not None:
            return False
        self._email_confirmed(on=today)
        return True

    @event(EmailConfirmed)
    def _email_confirmed(self, on: date) -> None:
        self.email_confirmed_on = on

    def change_email(self, email: str, today: date) -> None:
        """Move to a confirmed new address (the link reached it, so it is confirmed)."""
        if email_key(email) == email_key(self.email):
            raise DomainError(_("That is already your email address."))
        self._email_changed(email=email, previous=self.email)
        self.email_confirmed_on = None
        self.confirm_email(today)

    @event(EmailChanged)
    def _email_changed(self, email: str, previous: str) -> None:
        self.email = email

    def grant(self, role: Role) -> None:
        if role.value in self.roles:
            raise DomainError(_("This account already has that role."))
        self._role_granted(role=role.value)

    @event(RoleGranted)
    def _role_granted(self, role: str) -> None:
        self.roles = (*self.roles, role)

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles

    def want_learning_notices(self, wanted: bool) -> None:
        if wanted == self.wants_learning_notices:
            raise DomainError(_("Nothing changed: that is already how it is."))
        self._learning_notices_changed(wanted=wanted)

    @property
    def wants_learning_notices(self) -> bool:
        return getattr(self, "learning_notices", True)

    @event(LearningNoticesChanged)
    def _learning_notices_changed(self, wanted: bool) -> None:
        self.learning_notices = wanted


def _reason(value: str) -> str:
    """Why an account was disabled or enabled: required, one short paragraph."""
    try:
        return clean_text(value, max_length=500, multiline=True)
    except Invalid as error:
        raise DomainError(error.message) from None


class EmailIndex(Aggregate):
    """One per email (any case): a second registration with the same email collides on its id.

    The event store refuses a second aggregate with the same id, so uniqueness holds even
    when two registrations race. An account that moves to another address releases its old
    one, which another account may then claim again (a reclaim is a new version of this
    record, so two racing reclaims collide just the same).
    """

    class Claimed(Aggregate.Created):
        email: str
        account_id: UUID

    class Released(Aggregate.Event):
        """Its account moved to another address."""

    class Reclaimed(Aggregate.Event):
        email: str
        account_id: UUID

    @staticmethod
    def create_id(email: str) -> UUID:
        return uuid5(NAMESPACE_URL, "cairn:account-email:" + email_key(email))

    @event(Claimed)
    def __init__(self, email: str, account_id: UUID) -> None:
        self.account_id: UUID | None = account_id

    def release(self) -> None:
        if self.account_id is not None:
            self._released()

    @event(Released)
    def _released(self) -> None:
        self.account_id = None

    def reclaim(self, email: str, account_id: UUID) -> None:
        """Claimed by another account once its old one moved away (checked by the caller)."""
        assert self.account_id is None, "reclaiming an address an account still uses"
        self._reclaimed(email=email, account_id=account_id)

    @event(Reclaimed)
    def _reclaimed(self, email: str, account_id: UUID) -> None:
        self.account_id = account_id


# Personal data, encrypted with the person's key (see cairn.domain.personal).
personal(Account.Registered, fields=("email", "display_name"), subject="email")
personal(EmailIndex.Claimed, fields=("email",), subject="email")
personal(EmailIndex.Reclaimed, fields=("email",), subject="email")
# A reason may say things about the person, so it is theirs to erase.
# Under the new address's subject, which the key store links to the person's one subject
# before the change is saved (see cairn.domain.accounts.changing_email).
personal(Account.EmailChanged, fields=("email", "previous"), subject="email")
personal(Account.Disabled, fields=("reason", "email"), subject="email")
personal(Account.Enabled, fields=("reason", "email"), subject="email")
