"""Routing events by type, and batching the writes, leave the read models as they were."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine

from cairn.bootstrap.runtime import Runtime
from cairn.eventlog.log import LogReader
from cairn.readmodels.base import Projection
from cairn.readmodels.catalogue import sql_projections
from cairn.readmodels.sql_sink import SqlSink
from tests.projections.varied_log import write_varied_log
from tests.support.readmodels import Snapshot, scratch_engine, snapshot


class OfferingEverything(SqlSink):
    """The sink as it was: every projection is offered every event and ignores the rest."""

    def _wanted_by(self, event_type: type) -> tuple[int, ...]:
        return tuple(range(len(self.projections)))


def rebuilt(
    runtime: Runtime,
    engine: Engine,
    projections: Sequence[Projection],
    *,
    batch_size: int,
    sink_class: type[SqlSink] = SqlSink,
) -> Snapshot:
    sink = sink_class(engine, projections)
    sink.drop_and_recreate()
    reader = LogReader(runtime.app)
    while batch := reader.read(sink.position(), batch_size):
        assert sink.apply(batch)
    assert sink.position() == runtime.app.head()
    return snapshot(engine)


def every_projection(runtime: Runtime) -> list[Projection]:
    return sql_projections(runtime.app)


def test_routing_by_type_gives_the_same_read_models_as_offering_every_event(
    runtime: Runtime, tmp_path: Path
) -> None:
    write_varied_log(runtime.app)
    with scratch_engine(runtime, tmp_path) as routed, scratch_engine(runtime, tmp_path) as all_:
        expected = rebuilt(
            runtime, all_, every_projection(runtime), batch_size=500, sink_class=OfferingEverything
        )
        assert rebuilt(runtime, routed, every_projection(runtime), batch_size=500) == expected
    assert expected["audit_log"] and expected["learning_memberships"]  # not vacuous


def test_a_projection_is_offered_only_the_event_types_it_wants(runtime: Runtime) -> None:
    write_varied_log(runtime.app)
    sink = SqlSink(runtime.read_engine, every_projection(runtime))
    seen: dict[str, set[str]] = {p.name: set() for p in sink.projections}
    for projection in sink.projections:
        projection.handle = recording(projection, seen[projection.name])  # type: ignore[method-assign]
    sink.drop_and_recreate()
    reader = LogReader(runtime.app)
    while batch := reader.read(sink.position(), 500):
        sink.apply(batch)

    everything = seen["audit"]
    assert {"Team.MemberAdded", "Enquiry.Received", "Provider.Applied"} <= everything
    assert seen["learning-teams"] == {n for n in everything if n.startswith("Team.")}
    assert seen["enquiries"] == {n for n in everything if n.startswith("Enquiry.")}
    assert seen["provider-accounts"] == {n for n in everything if n.startswith("Provider.")}
    assert seen["unmet-demand-searches"] == {"UnmetDemandSignal.Recorded"}


def recording(projection: Projection, seen: set[str]) -> Callable[[Connection, Any, int], None]:
    """The projection's own handler, noting the class of each event it is offered."""
    handle = projection.handle

    def spy(conn: Connection, event: Any, position: int) -> None:
        seen.add(type(event).__qualname__)
        handle(conn, event, position)

    return spy


def test_read_models_kept_live_in_batches_equal_a_rebuild_from_scratch(
    runtime: Runtime, tmp_path: Path
) -> None:
    """The oracle is the log itself: the runner keeps the read models current a few events
    at a time, as it does in service, and a rebuild of every read model from nothing must
    leave the same rows in every table."""
    head = write_varied_log(runtime.app)
    runtime.sql_runner.catch_up(batch_size=5)
    assert runtime.sql_sink.position() == head
    live = snapshot(runtime.read_engine)
    with scratch_engine(runtime, tmp_path) as scratch:
        assert rebuilt(runtime, scratch, every_projection(runtime), batch_size=1000) == live
    # Every table the log touches is compared, so the comparison is not of empty tables.
    assert [name for name, rows in live.items() if not rows] == []


@pytest.mark.parametrize("batch_size", [7, 1000])
def test_the_batch_size_does_not_change_any_read_model(
    runtime: Runtime, tmp_path: Path, batch_size: int
) -> None:
    """One event per batch is the per-event answer; in bigger batches a row's changes are
    partly stored already and partly pending in the batch."""
    write_varied_log(runtime.app)
    with scratch_engine(runtime, tmp_path) as one, scratch_engine(runtime, tmp_path) as many:
        expected = rebuilt(runtime, one, every_projection(runtime), batch_size=1)
        assert rebuilt(runtime, many, every_projection(runtime), batch_size=batch_size) == expected
