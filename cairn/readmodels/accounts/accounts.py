"""Accounts as the sign-in pages need them."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Connection, Date, DateTime, String, Table, Text, Uuid

from cairn.domain.accounts.account import Account
from cairn.domain.personal import is_erased
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

accounts = Table(
    "accounts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(320), nullable=False),
    # Lower-cased email: the unique key sign-in looks up.
    Column("email_key", String(320), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("roles", JSON, nullable=False),  # the stored role names, a list
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# A row while an account is disabled. Its own table (not a column of `accounts`) so an
# existing database gains it with create_all, and no old event is missed: there were none.
disabled_accounts = Table(
    "disabled_accounts",
    metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("disabled_at", DateTime(timezone=True), nullable=False),
    Column("disabled_by", Uuid, nullable=False),
)

# A row once the account's email address is confirmed (a table of its own, for the same reason).
confirmed_emails = Table(
    "confirmed_emails",
    metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("confirmed_on", Date, nullable=False),
)

# A row while the person has turned learning emails off (a table of its own, as above).
learning_notices_off = Table(
    "learning_notices_off",
    metadata,
    Column("account_id", Uuid, primary_key=True),
)


class AccountsProjection(BatchedProjection):
    name = "accounts"
    tables = (accounts, disabled_accounts, confirmed_emails, learning_notices_off)

    @handles(Account.LearningNoticesChanged)
    def learning_notices(
        self, conn: Connection, e: Account.LearningNoticesChanged, position: int
    ) -> None:
        if e.wanted:
            self.rows.delete(learning_notices_off, e.originator_id)
        else:
            self.rows.replace(learning_notices_off, {"account_id": e.originator_id})

    @handles(Account.EmailConfirmed)
    def email_confirmed(self, conn: Connection, e: Account.EmailConfirmed, position: int) -> None:
        # replace: a new address is confirmed again when the account moves to it.
        self.rows.replace(confirmed_emails, {"account_id": e.originator_id, "confirmed_on": e.on})

    @handles(Account.EmailChanged)
    def email_changed(self, conn: Connection, e: Account.EmailChanged, position: int) -> None:
        self.rows.update(accounts, e.originator_id, _email_columns(e.originator_id, e.email))

    @handles(Account.Registered)
    def registered(self, conn: Connection, e: Account.Registered, position: int) -> None:
        self.rows.insert(
            accounts,
            dict(
                id=e.originator_id,
                **_email_columns(e.originator_id, e.email),
                display_name=e.display_name,
                roles=list(e.roles),
                password_hash=e.password_hash,
                created_at=e.timestamp,
            ),
        )

    @handles(Account.PasswordChanged)
    def password_changed(self, conn: Connection, e: Account.PasswordChanged, position: int) -> None:
        self.rows.update(accounts, e.originator_id, {"password_hash": e.password_hash})

    @handles(Account.RoleGranted)
    def role_granted(self, conn: Connection, e: Account.RoleGranted, position: int) -> None:
        row = self.rows.get(conn, accounts, e.originator_id)
        assert row is not None, "a role granted to an account that was never registered"
        self.rows.update(accounts, e.originator_id, {"roles": [*row["roles"], e.role]})

    @handles(Account.Disabled)
    def disabled(self, conn: Connection, e: Account.Disabled, position: int) -> None:
        # replace: a disable, enable and disable again may share one batch.
        self.rows.replace(
            disabled_accounts,
            dict(account_id=e.originator_id, disabled_at=e.timestamp, disabled_by=e.by),
        )

    @handles(Account.Enabled)
    def enabled(self, conn: Connection, e: Account.Enabled, position: int) -> None:
        self.rows.delete(disabled_accounts, e.originator_id)


def _email_columns(account_id: object, email: str) -> dict[str, str]:
    # Erased people no longer have an email; keep the unique key unique.
    key = f"erased:{account_id}" if is_erased(email) else email.lower()
    return {"email": email, "email_key": key}
