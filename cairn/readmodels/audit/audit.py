"""The audit log: one row for every event in the system, whatever its kind.

Generic on purpose: events that other contexts add appear here without any change.
The actor is the event's `by` attribute when it has one (the convention for "who did
this"), so new events should carry `by` when a person causes them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    DateTime,
    Index,
    MetaData,
    String,
    Table,
    Uuid,
)

from cairn.domain.accounts.signins import SignInAttempt
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

audit_log = Table(
    "audit_log",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Uuid),
    Column("aggregate_type", String(80), nullable=False),
    Column("event_name", String(80), nullable=False),
    Column("aggregate_id", Uuid, nullable=False),
    Index("ix_audit_at", "at"),
    Index("ix_audit_actor_at", "actor", "at"),
    Index("ix_audit_kind_at", "aggregate_type", "event_name", "at"),
)


def describe(domain_event: Any) -> tuple[str, str]:
    """('Provider', 'Approved') from the event's class, e.g. Provider.Approved."""
    qualname = type(domain_event).__qualname__
    aggregate_type, _, event_name = qualname.rpartition(".")
    return (aggregate_type or qualname)[:80], event_name[:80]


def actor_of(domain_event: Any) -> UUID | None:
    by = getattr(domain_event, "by", None)
    return by if isinstance(by, UUID) else None


class AuditProjection(BatchedProjection):
    name = "audit"
    tables = (audit_log,)

    def wants(self, event_type: type) -> bool:
        return True  # every event, whatever its kind

    def handle(self, conn: Connection, domain_event: Any, position: int) -> None:
        aggregate_type, event_name = describe(domain_event)
        # Appended, not inserted by key: each position comes once, so skip the bookkeeping.
        self.rows.append(
            audit_log,
            dict(
                position=position,
                at=domain_event.timestamp,
                actor=actor_of(domain_event),
                aggregate_type=aggregate_type,
                event_name=event_name,
                aggregate_id=domain_event.originator_id,
            ),
        )


# Attempts on known accounts only, by account id: what the administrator's lockout page lists.
# (The table that came before also kept an email digest, and is dropped: see
# drop_legacy_tables.)
sign_in_attempts = Table(
    "sign_in_account_attempts",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("account_id", Uuid, nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_sign_in_account_at", "account_id", "at"),
)
LEGACY_TABLES = ("sign_in_attempts",)


def drop_legacy_tables(conn: Connection) -> None:
    """The old attempts table held an unsalted email digest per attempt: it goes."""
    for name in LEGACY_TABLES:
        Table(name, MetaData()).drop(conn, checkfirst=True)


class SignInsProjection(BatchedProjection):
    """Recent attempts on each account, for the administrator's lockout page."""

    name = "sign-in-accounts"
    tables = (sign_in_attempts,)

    @handles(SignInAttempt.Recorded)
    def recorded(self, conn: Connection, e: SignInAttempt.Recorded, position: int) -> None:
        if e.by is None:
            return  # an old attempt with an email that had no account
        self.rows.append(
            sign_in_attempts,
            dict(position=position, account_id=e.by, succeeded=e.succeeded, at=e.at),
        )
