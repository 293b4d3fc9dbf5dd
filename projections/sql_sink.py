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
                for projection in self.projections:
                    old = stored.get(projection.name, 0)
                    if old >= last:
                        continue
                    # Claim the range first: a second runner blocks here, then finds the
                    # position moved and rolls back, instead of colliding on rows.
                    advance(conn, projection.name, old, last)
                    for item in batch:
                        if item.position > old:
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
