"""AggregateFold: aggregates kept current from the events a runner reads anyway."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from cairn.domain.directory.provider import Provider
from cairn.readmodels.fold import AggregateFold


def no_loading(key: UUID, version: int) -> Any:
    raise AssertionError(f"loaded {key} at version {version} from the store")


def test_a_rebuild_starts_each_aggregate_again_without_loading_it() -> None:
    provider = Provider(
        name="Carrick Care",
        contact_name="Pat",
        email="p@cairn.example",
        postcode="KA7 1AA",
        services=["gardening"],
    )
    provider.start_review(by=uuid4())
    events = provider.collect_events()
    assert len(events) == 2
    fold = AggregateFold(no_loading)
    for event in events:
        latest = fold.apply(event)
    assert latest.version == 2

    # The read models were dropped: the runner reads the log from its start again while the
    # cache still holds the aggregate at its latest version.
    first = fold.apply(events[0])
    assert first.version == 1 and first.name == "Carrick Care"
    assert fold.apply(events[1]).version == 2
