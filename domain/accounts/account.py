"""The Account aggregate and the email index that keeps emails unique."""

from __future__ import annotations

from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.accounts.roles import Role
from domain.errors import DomainError
from domain.personal import personal
from domain.text import _


def email_key(email: str) -> str:
    """Emails compare without regard to case."""
    return email.strip().lower()


class Account(Aggregate):
    """A person who can sign in: a CIC admin, a team member or a provider."""

    # Event classes made by @event below; declared so type checkers know them.
    Registered: ClassVar[type[Aggregate.Event]]
    PasswordChanged: ClassVar[type[Aggregate.Event]]
    RoleGranted: ClassVar[type[Aggregate.Event]]

    @event("Registered")
    def __init__(
        self, email: str, display_name: str, roles: tuple[str, ...], password_hash: str
    ) -> None:
        self.email = email
        self.display_name = display_name
        self.roles: tuple[str, ...] = tuple(roles)
        self.password_hash = password_hash
        self.is_disabled = False

    @event("PasswordChanged")
    def change_password(self, password_hash: str) -> None:
        self.password_hash = password_hash

    def grant(self, role: Role) -> None:
        if role.value in self.roles:
            raise DomainError(_("This account already has that role."))
        self._role_granted(role=role.value)

    @event("RoleGranted")
    def _role_granted(self, role: str) -> None:
        self.roles = (*self.roles, role)

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles


class EmailIndex(Aggregate):
    """One per email (any case): a second registration with the same email collides on its id.

    The event store refuses a second aggregate with the same id, so uniqueness holds even
    when two registrations race.
    """

    Claimed: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(email: str) -> UUID:
        return uuid5(NAMESPACE_URL, "cairn:account-email:" + email_key(email))

    @event("Claimed")
    def __init__(self, email: str, account_id: UUID) -> None:
        self.account_id = account_id


# Personal data, encrypted with the person's key (see domain.personal).
personal(Account.Registered, fields=("email", "display_name"), subject="email")
personal(EmailIndex.Claimed, fields=("email",), subject="email")
