"""Rebuilding the SQL read models on a live system: fill new tables beside the live ones,
then switch to them in one transaction.

Dropping the live tables and refilling them in place (`SqlSink.drop_and_recreate`) showed
every reader the gap: `relation "accounts" does not exist`, then empty and partial tables,
so people were signed out and searches came back short. Here the live tables stay as they
are while the new ones fill, somewhere readers never look:

- **PostgreSQL**: a schema of its own beside the live one (`<schema>_rebuild`), reached
  through the search path, so the projections' SQL (unqualified names, COPY included) is
  the same as ever. The switch moves each live table out to a retired schema and each new
  one in (`ALTER TABLE ... SET SCHEMA`: a rename, no copying) and sets the positions, in one
  transaction; a reader blocked for those milliseconds looks the name up again once the
  lock is granted, and finds the new table.
- **SQLite**: a database file of its own beside the live one. SQLite cannot move a table
  between files, so the switch is a copy inside one write transaction on the live file
  (drop, create, `INSERT ... SELECT`); readers, in WAL mode, read the old tables until it
  commits and the new ones after.

Only projections with tables are rebuilt. The mail outbox keeps none of its own (its
`tables` is empty, so its rows are never disposable) and carries on from where it was.
Meanwhile the live runner keeps applying new events to the live tables; after the switch
it finds its positions set to where the rebuild got to and applies what came after, to the
new tables. The switch locks the tracking rows first, so a batch in flight either commits
before it or rolls back (its compare-and-set fails) after it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine, Table, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.schema import CreateIndex, CreateTable

from cairn.eventlog.log import LogReader
from cairn.eventlog.runner import REBUILD_BATCH_SIZE, Runner
from cairn.readmodels.base import Projection
from cairn.readmodels.database import make_engine
from cairn.readmodels.sql_sink import SqlSink
from cairn.readmodels.tracking import tracking

# Told how many events each batch of the rebuild applied (a progress bar).
Progress = Callable[[int], object]

# PostgreSQL: how long the switch waits for its locks before yielding to readers (below
# deadlock_timeout), and how often it tries.
SWITCH_LOCK_TIMEOUT_MS = 200
SWITCH_ATTEMPTS = 100


def _lock_not_available(error: OperationalError) -> bool:
    return getattr(error.orig, "sqlstate", None) == "55P03"  # lock_not_available


def rebuild_beside(
    live: Engine,
    projections: Sequence[Projection],
    reader: LogReader,
    *,
    on_progress: Progress | None = None,
) -> dict[str, int]:
    """Refill every projection with tables from the log into new tables, switch the live
    ones for them in one transaction, and return the rebuilt projections' positions.

    `projections` must be fresh instances (no per-batch state shared with a live runner)."""
    chosen = [p for p in projections if p.tables]
    target: _Postgres | _Sqlite = (
        _Postgres(live) if live.dialect.name == "postgresql" else _Sqlite(live)
    )
    shadow = target.open()
    try:
        sink = SqlSink(shadow, chosen, read_log=reader.read)
        sink.create_tables()
        Runner(reader, sink).catch_up(on_progress=on_progress, batch_size=REBUILD_BATCH_SIZE)
        positions = sink.positions()
    finally:
        shadow.dispose()
    try:
        target.switch([t for p in chosen for t in p.tables], positions)
    finally:
        target.clean_up()
    return positions


def _set_positions(conn: object, positions: dict[str, int]) -> None:
    for name, position in positions.items():
        conn.execute(  # type: ignore[attr-defined]
            update(tracking).where(tracking.c.projection == name).values(position=position)
        )


class _Postgres:
    def __init__(self, live: Engine) -> None:
        self.live = live
        with live.connect() as conn:  # the engine's search path names the live schema
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        self.schema: str = schema
        # Within PostgreSQL's 63 characters (the live name may use all of them).
        self.fresh = f"{schema[:52]}_rebuild"
        self.retired = f"{schema[:52]}_retired"

    def _quoted(self, name: str) -> str:
        return self.live.dialect.identifier_preparer.quote(name)

    def open(self) -> Engine:
        with self.live.begin() as conn:
            # A rebuild that stopped part way left its tables: start them again.
            conn.execute(text(f"DROP SCHEMA IF EXISTS {self._quoted(self.fresh)} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {self._quoted(self.fresh)}"))
        return make_engine(
            self.live.url.render_as_string(hide_password=False), schema=self.fresh, pool_size=1
        )

    def switch(self, tables: Sequence[Table], positions: dict[str, int]) -> None:
        """Swap the tables in one transaction, tried again until it gets its locks.

        A reader holds a lock on each table it has read until its transaction ends, and may
        read them in any order, so taking several tables' exclusive locks could deadlock
        with it, and PostgreSQL would then end one of the two: maybe the reader. The
        switch therefore asks for all its locks at once with a lock timeout well under the
        deadlock detector's (deadlock_timeout, 1 s by default): if they are not all free it
        gives up, lets the readers finish, and tries again. It is always the one to yield."""
        for attempt in range(SWITCH_ATTEMPTS):
            try:
                self._switch(tables, positions)
                return
            except OperationalError as error:
                if not _lock_not_available(error) or attempt == SWITCH_ATTEMPTS - 1:
                    raise
                time.sleep(min(0.05 * (attempt + 1), 0.5))

    def _switch(self, tables: Sequence[Table], positions: dict[str, int]) -> None:
        live, fresh, retired = map(self._quoted, (self.schema, self.fresh, self.retired))
        with self.live.begin() as conn:
            conn.execute(text(f"SET LOCAL lock_timeout = '{SWITCH_LOCK_TIMEOUT_MS}ms'"))
            conn.execute(select(tracking).with_for_update())  # no batch commits meanwhile
            present = set(
                conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = :schema"),
                    {"schema": self.schema},
                ).scalars()
            )
            names = [self._quoted(t.name) for t in tables]
            pairs = list(zip(tables, names, strict=True))
            locked = [f"{live}.{n}" for t, n in pairs if t.name in present]
            locked += [f"{fresh}.{n}" for n in names]
            conn.execute(text(f"LOCK TABLE {', '.join(locked)} IN ACCESS EXCLUSIVE MODE"))
            conn.execute(text(f"DROP SCHEMA IF EXISTS {retired} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {retired}"))
            for table, name in zip(tables, names, strict=True):
                if table.name in present:
                    conn.execute(text(f"ALTER TABLE {live}.{name} SET SCHEMA {retired}"))
                conn.execute(text(f"ALTER TABLE {fresh}.{name} SET SCHEMA {live}"))
            _set_positions(conn, positions)

    def clean_up(self) -> None:
        with self.live.begin() as conn:
            for name in (self.retired, self.fresh):
                conn.execute(text(f"DROP SCHEMA IF EXISTS {self._quoted(name)} CASCADE"))


class _Sqlite:
    def __init__(self, live: Engine) -> None:
        self.live = live
        database = live.url.database
        assert database, "a file database"
        self.path = Path(database).with_suffix(".rebuild.sqlite")

    def open(self) -> Engine:
        self._remove()  # what a rebuild that stopped part way left
        return make_engine(make_url(self.live.url).set(database=str(self.path)).render_as_string())

    def switch(self, tables: Sequence[Table], positions: dict[str, int]) -> None:
        dialect = self.live.dialect
        quote = dialect.identifier_preparer.quote
        raw = self.live.raw_connection()
        try:
            driver = raw.driver_connection
            assert driver is not None
            was = driver.isolation_level
            driver.isolation_level = None  # the transaction below is spelled out
            driver.execute("ATTACH DATABASE ? AS fresh", (str(self.path),))
            try:
                driver.execute("BEGIN IMMEDIATE")
                try:
                    for table in tables:
                        name = quote(table.name)
                        columns = ", ".join(quote(c.name) for c in table.columns)
                        driver.execute(f"DROP TABLE IF EXISTS main.{name}")
                        driver.execute(str(CreateTable(table).compile(dialect=dialect)))
                        for index in table.indexes:
                            driver.execute(str(CreateIndex(index).compile(dialect=dialect)))
                        driver.execute(
                            f"INSERT INTO main.{name} ({columns}) "  # noqa: S608 (identifiers)
                            f"SELECT {columns} FROM fresh.{name}"
                        )
                    for name, position in positions.items():
                        driver.execute(
                            "UPDATE main.projection_tracking SET position = ? WHERE projection = ?",
                            (position, name),
                        )
                    driver.execute("COMMIT")
                except BaseException:
                    driver.execute("ROLLBACK")
                    raise
            finally:
                driver.execute("DETACH DATABASE fresh")
                driver.isolation_level = was
        finally:
            raw.close()

    def clean_up(self) -> None:
        self._remove()

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            candidate = Path(f"{self.path}{suffix}")
            if candidate.exists():
                os.unlink(candidate)
