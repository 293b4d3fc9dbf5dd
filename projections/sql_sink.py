"""Applies batches of events to the SQL read models, exactly once."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from projections.base import Projection
from projections.database import metadata
from projections.log import Logged
from projections.tracking import PositionMoved, advance, ensure_rows, read_positions, reset


class SqlSink:
    """Every SQL projection, each with its own tracking row.

    A batch's rows and the new positions are written in one transaction: a crash part way
    leaves nothing, and the batch is applied again in full next time."""

    name = "read-models"

    def __init__(self, engine: Engine, projections: Sequence[Projection]) -> None:
        self.engine = engine
        self.projections = tuple(projections)
        self._routes: dict[type, tuple[int, ...]] = {}

    def create_tables(self) -> None:
        metadata.create_all(self.engine)
        try:
            with self.engine.begin() as conn:
                ensure_rows(conn, [p.name for p in self.projections])
        except IntegrityError:
            pass  # another process created them at the same moment

    def positions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            stored = read_positions(conn)
        return {p.name: stored.get(p.name, 0) for p in self.projections}

    def position(self) -> int:
        """How far every projection has got: the least of their positions."""
        return min(self.positions().values(), default=0)

    def apply(self, batch: Sequence[Logged]) -> bool:
        """Apply a batch; False if another runner got there first (nothing written)."""
        if not batch:
            return True
        last = batch[-1].position
        try:
            with self.engine.begin() as conn:
                stored = read_positions(conn)
                behind = {
                    index: stored.get(projection.name, 0)
                    for index, projection in enumerate(self.projections)
                    if stored.get(projection.name, 0) < last
                }
                offered = self._route(batch, behind)
                for index, old in behind.items():
                    projection = self.projections[index]
                    # Claim the range first: a second runner blocks here, then finds the
                    # position moved and rolls back, instead of colliding on rows.
                    advance(conn, projection.name, old, last)
                    for item in offered[index]:
                        projection.handle(conn, item.event, item.position)
                    projection.flush(conn)
        except PositionMoved:
            self._discard()
            return False
        except OperationalError as error:
            self._discard()
            # SQLite in WAL refuses to upgrade a read that another writer overtook: a lost race.
            if self.engine.dialect.name == "sqlite" and "locked" in str(error):
                return False
            raise
        except BaseException:
            self._discard()
            raise
        return True

    def _route(self, batch: Sequence[Logged], behind: dict[int, int]) -> dict[int, list[Logged]]:
        """Each behind projection's events from the batch (by index), in log order: only the
        types it wants, and only those after its own position."""
        offered: dict[int, list[Logged]] = {index: [] for index in behind}
        for item in batch:
            for index in self._wanted_by(type(item.event)):
                old = behind.get(index)
                if old is not None and item.position > old:
                    offered[index].append(item)
        return offered

    def _wanted_by(self, event_type: type) -> tuple[int, ...]:
        """The indexes of the projections that want this event class, asked once per class."""
        wanted = self._routes.get(event_type)
        if wanted is None:
            wanted = tuple(i for i, p in enumerate(self.projections) if p.wants(event_type))
            self._routes[event_type] = wanted
        return wanted

    def _discard(self) -> None:
        for projection in self.projections:
            projection.discard()

    def drop_and_recreate(self, names: Sequence[str] | None = None) -> None:
        """Empty the named projections (all by default) so they refill from the start."""
        chosen = [p for p in self.projections if names is None or p.name in names]
        tables = [t for p in chosen for t in p.tables]
        metadata.drop_all(self.engine, tables=tables)
        self.create_tables()
        with self.engine.begin() as conn:
            for projection in chosen:
                reset(conn, projection.name)
