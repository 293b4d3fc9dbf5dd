"""The event store every context's commands write through: load, record, exists, head.

It is the eventsourcing Application without the commands, so that each context's commands
can depend on it while `cairn.domain.app` (which builds those commands) depends on them:
the dependency points one way only."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, Mapper, RecordConflictError, Transcoding

from cairn.domain.clock import Clock, system_clock
from cairn.domain.errors import NotFound, StaleState
from cairn.domain.personal_keys import KeyStore, MemoryKeyStore
from cairn.domain.personal_mapper import PersonalDataMapper
from cairn.domain.sealed_files import MemorySealedFileStore, SealedFileStore
from cairn.domain.text import _

A = TypeVar("A", bound=Aggregate)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class Store(Application[UUID]):
    """One event store for every aggregate: a single ordered log that projections follow."""

    name = "cairn"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        clock: Clock = system_clock,
        keys: KeyStore | None = None,
        files: SealedFileStore | None = None,
    ) -> None:
        # Set before super().__init__, which builds the mapper that needs the keys.
        self.keys: KeyStore = keys if keys is not None else MemoryKeyStore()
        # Uploaded files, sealed under their record's key (cairn.domain.sealed_files).
        self.files: SealedFileStore = files if files is not None else MemorySealedFileStore()
        super().__init__(env)
        self.clock = clock

    def construct_mapper(self) -> Mapper[UUID]:
        """Personal fields of events are encrypted per person (see cairn.domain.personal)."""
        return PersonalDataMapper(transcoder=self.construct_transcoder(), keys=self.keys)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def record(self, *aggregates: Aggregate) -> int:
        """Save the aggregates' new events atomically; return the last log position.

        A concurrent save of the same aggregate version loses here, with a message."""
        pending = [e for aggregate in aggregates for e in aggregate.pending_events]
        writing = getattr(self.mapper, "writing", None)
        try:
            if writing is None:
                recordings = self.save(*aggregates)
            else:
                with writing(pending):
                    recordings = self.save(*aggregates)
        except RecordConflictError as error:
            raise StaleState() from error
        if not recordings:
            return self.head()
        return max(r.notification.id for r in recordings)

    def load(self, kind: type[A], aggregate_id: UUID, expected_version: int | None = None) -> A:
        """Load an aggregate of the given kind; optionally insist on the version the person saw."""
        try:
            aggregate: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError as error:
            raise NotFound(_("We could not find that record.")) from error
        if not isinstance(aggregate, kind):
            raise NotFound(_("We could not find that record."))
        if expected_version is not None and aggregate.version != expected_version:
            raise StaleState()
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.repository

    def head(self) -> int:
        """The id of the newest notification in the log (0 for an empty log)."""
        return self.recorder.max_notification_id() or 0
