"""Keeps the search index in step with the event log: a Sink for cairn.eventlog.runner.Runner.

Any `Provider.*` event may change what the public sees, and `Provider.public_listing()` is the
only rule for it, so the indexer reloads each touched provider once per batch and upserts its
listing or deletes it. It loads the provider as of its last event in the batch, not as of now,
so the index at a position is a function of the log up to that position: a worker killed at
any moment leaves what a clean rebuild to the same position gives. Re-applying a batch gives
the same index: safe after a crash.

An erasure event names the records it reached; each of them that is a provider is loaded
again (its events now read back ERASED where the person's data was) and its document
rewritten, in the same index commit as the rest of the batch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from cairn.domain.accounts.erasure import erased_records, is_erasure
from cairn.domain.directory.listing import PublicListing
from cairn.domain.directory.provider import Provider
from cairn.eventlog.log import Logged
from cairn.search.providers.index import SearchIndex

# Loads a provider aggregate by id at a version, or its latest with None (the application's
# repository in production).
Loader = Callable[[UUID, int | None], Any]
# Reads the log: (after position, at most this many events) -> decoded events in order.
ReadLog = Callable[[int, int], Sequence[Logged]]

# Events read at a time when a rebuild scans the log for providers.
SCAN_BATCH = 2000


def is_provider_event(event: object) -> bool:
    return type(event).__qualname__.startswith("Provider.")


def touched_providers(batch: Sequence[Logged]) -> dict[UUID, int]:
    """Each provider the batch changed, once, in first-seen order, with its last version."""
    seen: dict[UUID, int] = {}
    for item in batch:
        if is_provider_event(item.event):
            seen[item.event.originator_id] = item.event.originator_version
    return seen


class IndexSink:
    name = "search-index"

    def __init__(self, index: SearchIndex, load: Loader) -> None:
        self.index = index
        self.load = load

    def position(self) -> int:
        return self.index.position()

    def recover_if_lost(self) -> bool:
        return self.index.recover_if_lost()

    def apply(self, batch: Sequence[Logged]) -> bool:
        if not batch:
            return True
        expected = self.position()
        last = batch[-1].position
        if expected >= last:
            return False
        fresh = [item for item in batch if item.position > expected]
        changes: dict[str, PublicListing | None] = {}
        for provider_id, version in touched_providers(fresh).items():
            provider = self.load(provider_id, version)
            changes[str(provider_id)] = provider.public_listing()
        erased = self._erased_providers(fresh)
        for provider_id in erased:
            # As it stands now, not at a version: its later events in the log are reapplied
            # by their own batches anyway, and the erasure names no versions.
            provider = self.load(provider_id, None)
            changes[str(provider_id)] = provider.public_listing()
        purge = any(is_erasure(item.event) for item in fresh)
        return self.index.write(changes, expected=expected, position=last, purge=purge)

    def _erased_providers(self, batch: Sequence[Logged]) -> list[UUID]:
        """The providers among the records of the batch's erasures (the others are not indexed:
        accounts, enquiries, reports)."""
        found: list[UUID] = []
        for item in batch:
            if not is_erasure(item.event):
                continue
            for record_id in erased_records(item.event):
                try:
                    record = self.load(record_id, None)
                except AggregateNotFoundError:
                    continue
                if isinstance(record, Provider):
                    found.append(record_id)
        return found

    def reset(self) -> None:
        self.index.clear()

    def rebuild(
        self,
        read_log: ReadLog,
        *,
        procs: int = 1,
        on_progress: Callable[[int], object] | None = None,
    ) -> int:
        """Replace the index with every provider's listing as of the end of the log, in one
        commit (SearchIndex.rebuild), and return the position reached.

        The same index, document for document, as applying the log batch by batch: each
        provider as of its last event, which is what the last batch touching it wrote. An
        erased provider's events read back erased, as they do for a batch that reloads it.
        Readers see the old index until the commit, never a partial one."""
        versions: dict[UUID, int] = {}  # in the order providers first appear
        position = 0
        while batch := read_log(position, SCAN_BATCH):
            versions.update(touched_providers(batch))
            position = batch[-1].position
            if on_progress:
                on_progress(len(batch))
        listings = (
            listing
            for provider_id, version in versions.items()
            if (listing := self.load(provider_id, version).public_listing()) is not None
        )
        self.index.rebuild(listings, position=position, procs=procs)
        return position
