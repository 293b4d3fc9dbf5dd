"""Applies batches of events to the SQL read models, exactly once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from cairn.domain.accounts.erasure import is_erasure
from cairn.eventlog.log import Logged
from cairn.readmodels.base import Projection
from cairn.readmodels.database import checkpoint, metadata
from cairn.readmodels.tracking import PositionMoved, advance, ensure_rows, read_positions, reset

# Reads the log: (after position, at most this many events) -> decoded events in order.
ReadLog = Callable[[int, int], Sequence[Logged]]

# Events per step when an erasure makes the projections read the log again.
REPLAY_CHUNK = 2000


class SqlSink:
    """Every SQL projection, each with its own tracking row.

    A batch's rows and the new positions are written in one transaction: a crash part way
    leaves nothing, and the batch is applied again in full next time.

    An erasure event (cairn.domain.accounts.erasure) is handled by every projection in the same
    way, whatever it keeps: its tables are emptied and refilled from the log up to the
    erasure, inside the batch's transaction. The person's keys are shredded before the
    event is recorded, so the events read back now carry ERASED where their data was, and
    no projection needs to know which of its columns were personal. Readers see the old rows
    until the commit and the erased ones after; a crash part way leaves the old ones and
    the position, and the batch runs again. Erasures are rare, so the cost of a replay
    (the length of the log) is paid rarely."""

    name = "read-models"

    def __init__(
        self, engine: Engine, projections: Sequence[Projection], read_log: ReadLog | None = None
    ) -> None:
        self.engine = engine
        self.projections = tuple(projections)
        self.read_log = read_log
        self._routes: dict[type, tuple[int, ...]] = {}

    def create_tables(self) -> None:
        metadata.create_all(self.engine)
        self.ensure_tracking()

    def ensure_tracking(self) -> None:
        """A tracking row for every projection (a new one starts at 0): a read, not DDL, so
        it runs on every start even when the schema is current."""
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
        erasing = any(is_erasure(item.event) for item in batch)
        try:
            with self.engine.begin() as conn:
                stored = read_positions(conn)
                behind = {
                    index: stored.get(projection.name, 0)
                    for index, projection in enumerate(self.projections)
                    if stored.get(projection.name, 0) < last
                }
                for index, old in behind.items():
                    # Claim the range first: a second runner blocks here, then finds the
                    # position moved and rolls back, instead of colliding on rows.
                    advance(conn, self.projections[index].name, old, last)
                if erasing:
                    self._apply_with_erasures(conn, batch, behind)
                else:
                    self._apply_run(conn, batch, behind)
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
        if erasing:
            checkpoint(self.engine)
        return True

    def _apply_run(self, conn: Connection, run: Sequence[Logged], behind: dict[int, int]) -> None:
        """Each behind projection in turn takes its events of the run, then flushes."""
        offered = self._route(run, behind)
        for index in behind:
            projection = self.projections[index]
            for item in offered[index]:
                projection.handle(conn, item.event, item.position)
            projection.flush(conn)

    def _apply_with_erasures(
        self, conn: Connection, batch: Sequence[Logged], behind: dict[int, int]
    ) -> None:
        """Apply a batch holding erasures: at each, the projections that had not yet applied
        it are emptied and refilled from the log before it, then the batch carries on."""
        run: list[Logged] = []
        for item in batch:
            if is_erasure(item.event):
                self._apply_run(conn, run, behind)
                run = []
                due = [index for index, old in behind.items() if item.position > old]
                self._replay(conn, due, until=item.position)
            run.append(item)
        self._apply_run(conn, run, behind)

    def _replay(self, conn: Connection, indexes: Sequence[int], until: int) -> None:
        if not indexes:
            return
        if self.read_log is None:
            raise RuntimeError("an erasure needs the log to refill the read models from")
        for index in indexes:
            projection = self.projections[index]
            projection.flush(conn)  # what the batch gathered before the erasure: deleted next
            projection.discard()  # and any cached state (folded aggregates) with old data
            for table in projection.tables:
                conn.execute(table.delete())
        position = 0
        while position < until - 1:
            events = [e for e in self.read_log(position, REPLAY_CHUNK) if e.position < until]
            if not events:
                break
            # As an ordinary batch does: each projection in turn takes the chunk's events and
            # flushes, so one that reads another's table sees what came before. Memory stays
            # bounded: rows go out chunk by chunk.
            offered = self._route(events, dict.fromkeys(indexes, 0))
            for index in indexes:
                projection = self.projections[index]
                for logged in offered[index]:
                    projection.handle(conn, logged.event, logged.position)
                projection.flush(conn)
            position = events[-1].position

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
