"""Keeps the search index in step with the event log: a Sink for projections.runner.Runner.

Any `Provider.*` event may change what the public sees, and `Provider.public_listing()` is the
only rule for it, so the indexer reloads each touched provider once per batch and upserts its
listing or deletes it. It loads the provider as of its last event in the batch, not as of now,
so the index at a position is a function of the log up to that position: a worker killed at
any moment leaves what a clean rebuild to the same position gives. Re-applying a batch gives
the same index: safe after a crash."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from directory.index import SearchIndex
from domain.directory.listing import PublicListing
from projections.log import Logged

# Loads a provider aggregate by id at a version (the application's repository in production).
Loader = Callable[[UUID, int], Any]


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
        return self.index.write(changes, expected=expected, position=last)

    def reset(self) -> None:
        self.index.clear()
