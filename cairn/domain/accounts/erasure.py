"""The fact that a person was erased: recorded after their keys are shredded.

It holds no personal data: only the key subjects that were shredded and the ids of the
records whose personal fields now read back as erased. Every read model and search index
handles it through its normal projection path, rewriting what it derived from those
records from the (now unreadable) events, so a node that was offline catches up like any
other event and no command has to reach another node's disk."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class Erasure(Aggregate):
    """One erasure request carried out: whose keys went, which records it reached, and by whom
    (None from the command line). When is the event's own timestamp."""

    class Recorded(Aggregate.Created):
        subjects: list[str]
        records: list[UUID]
        by: UUID | None

    @event(Recorded)
    def __init__(self, subjects: list[str], records: list[UUID], by: UUID | None) -> None:
        self.subjects: tuple[str, ...] = tuple(subjects)
        self.records: tuple[UUID, ...] = tuple(records)
        self.by = by


def record_erasure(subjects: Iterable[str], records: Iterable[UUID], by: UUID | None) -> Erasure:
    """A new Erasure (sorted, without repeats, as JSON-friendly lists), ready to save."""
    return Erasure(subjects=sorted(set(subjects)), records=sorted(set(records), key=str), by=by)


def is_erasure(domain_event: Any) -> bool:
    return isinstance(domain_event, Erasure.Recorded)


def erased_records(domain_event: Any) -> tuple[UUID, ...]:
    """The records an erasure event names (as UUIDs, however the event was stored)."""
    return tuple(r if isinstance(r, UUID) else UUID(str(r)) for r in domain_event.records)
