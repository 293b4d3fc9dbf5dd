"""The audit log: one row for every event in the system, whatever its kind.

Generic on purpose: events that other contexts add appear here without any change.
The actor is the event's `by` attribute when it has one (the convention for "who did
this"), so new events should carry `by` when a person causes them. A few older events name
their person otherwise, and are read that way (see `actor_of`): the log is never rewritten."""

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
from cairn.domain.directory.draft import ApplicationDraft
from cairn.domain.directory.provider import Provider
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


# Whose application draft is whose: a draft's later events (answers saved, submitted) carry
# no `by`, and only its owner can save it, so its owner is who did them.
audit_draft_owners = Table(
    "audit_draft_owners",
    metadata,
    Column("draft_id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
)


def actor_of(domain_event: Any, draft_owner: UUID | None = None) -> UUID | None:
    """Who did it: `by`; else, for the events that name their person another way, that person
    (the applicant who applied or started a draft, a draft's owner)."""
    by = getattr(domain_event, "by", None)
    if isinstance(by, UUID):
        return by
    if isinstance(domain_event, (ApplicationDraft.Started, Provider.Applied)):
        account_id = getattr(domain_event, "account_id", None)
        return account_id if isinstance(account_id, UUID) else None
    if isinstance(domain_event, ApplicationDraft.Event):
        return draft_owner
    return None


class AuditProjection(BatchedProjection):
    name = "audit"
    tables = (audit_log, audit_draft_owners)

    def wants(self, event_type: type) -> bool:
        return True  # every event, whatever its kind

    def _draft_owner(self, conn: Connection, domain_event: Any) -> UUID | None:
        if isinstance(domain_event, ApplicationDraft.Started):
            self.rows.insert(
                audit_draft_owners,
                dict(
                    draft_id=domain_event.originator_id,
                    account_id=getattr(domain_event, "account_id"),  # noqa: B009 (typed Event)
                ),
            )
            return None
        if not isinstance(domain_event, ApplicationDraft.Event):
            return None
        row = self.rows.get(conn, audit_draft_owners, domain_event.originator_id)
        return row["account_id"] if row else None

    def handle(self, conn: Connection, domain_event: Any, position: int) -> None:
        aggregate_type, event_name = describe(domain_event)
        owner = self._draft_owner(conn, domain_event)
        # Appended, not inserted by key: each position comes once, so skip the bookkeeping.
        self.rows.append(
            audit_log,
            dict(
                position=position,
                at=domain_event.timestamp,
                actor=actor_of(domain_event, owner),
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
