"""Aggregates kept current by folding the events a runner already reads.

Projections that need an aggregate's whole state (to ask `Provider.public_listing()`, say)
could reload it from the event store for every batch that touches it, but that is a query
per aggregate. The runner hands each projection every event in order anyway, so a
projection can apply them to a cached copy instead and reload only on a cache miss. The
cache is bounded, so memory stays flat however long the log is."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from uuid import UUID

Loader = Callable[[UUID, int], Any]  # (aggregate id, version) -> aggregate at that version


class AggregateFold:
    def __init__(self, load: Loader, capacity: int = 5_000) -> None:
        self.load = load
        self.capacity = capacity
        self._cache: OrderedDict[UUID, Any] = OrderedDict()

    def apply(self, event: Any) -> Any:
        """The aggregate as it stands just after `event`."""
        key = event.originator_id
        version = event.originator_version
        aggregate = self._cache.pop(key, None)
        if version == 1:
            # The event that creates the aggregate: nothing to load, whatever is cached (a
            # rebuild starts every aggregate again while the cache holds their latest state).
            aggregate = event.mutate(None)
        elif aggregate is not None and aggregate.version == version - 1:
            aggregate = event.mutate(aggregate)
        elif aggregate is not None and aggregate.version == version:
            pass  # seen already (a batch applied again after a rollback)
        else:
            aggregate = self.load(key, version)
        self._cache[key] = aggregate
        while len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        return aggregate

    def clear(self) -> None:
        self._cache.clear()
