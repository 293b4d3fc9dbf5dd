"""Every event in a provider's life, kept for the plain-language history in the admin workspace.

Rows hold the event's own facts (who, when, what, before and after); the words are chosen
when the page is shown, so they follow the reader's language."""

from __future__ import annotations

import json

from eventsourcing.domain import Aggregate
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
)

from cairn.domain.directory import provider_events
from cairn.domain.directory.provider import Provider
from cairn.domain.directory.report import ProblemReport
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

provider_history = Table(
    "provider_history",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("provider_id", Uuid, nullable=False),
    Column("version", Integer),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", Uuid),  # None: a member of the public
    Column("kind", String(40), nullable=False),  # the event's name, like "Approved"
    Column("details", Text, nullable=False),  # JSON of the event's own attributes
    Index("ix_provider_history_provider", "provider_id", "position"),
)

_NOT_DETAILS = {"originator_id", "originator_version", "timestamp", "by"}


def event_details(e: Aggregate.Event) -> str:
    details = {k: v for k, v in vars(e).items() if k not in _NOT_DETAILS}
    return json.dumps(details, default=str, sort_keys=True)


def _all_provider_events() -> tuple[type, ...]:
    """Every event class the Provider declares (so a new one is never left out of the history):
    its subclasses of the classes in provider_events, not the library's Event and Created."""
    return tuple(
        value
        for value in vars(Provider).values()
        if isinstance(value, type)
        and any(base.__module__ == provider_events.__name__ for base in value.__mro__)
    )


class ProviderHistoryProjection(BatchedProjection):
    name = "provider_history"
    tables = (provider_history,)

    @handles(*_all_provider_events())
    def provider_event(self, conn: Connection, e: Aggregate.Event, position: int) -> None:
        self.rows.append(
            provider_history,
            dict(
                position=position,
                provider_id=e.originator_id,
                version=e.originator_version,
                at=e.timestamp,
                actor_id=getattr(e, "by", None),
                kind=type(e).__name__,
                details=event_details(e),
            ),
        )

    @handles(ProblemReport.Reported)
    def problem_reported(self, conn: Connection, e: ProblemReport.Reported, position: int) -> None:
        self.rows.append(
            provider_history,
            dict(
                position=position,
                provider_id=e.provider_id,
                version=None,
                at=e.timestamp,
                actor_id=None,
                kind="ProblemReported",
                details=json.dumps({"category": e.category, "details": e.details}),
            ),
        )
