"""The read-model database: an SQLite file by default, or a PostgreSQL schema."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event

# Every read-model table joins this metadata so that create/drop can see them all.
metadata = MetaData()


def make_engine(url: str, *, schema: str | None = None, pool_size: int = 5) -> Engine:
    """An engine for the read models. SQLite gets WAL so readers never block the runner."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    connect_args: dict[str, Any] = {"connect_timeout": 5}
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    return create_engine(
        url, connect_args=connect_args, pool_pre_ping=True, pool_size=pool_size, max_overflow=10
    )


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten with zeros, not left in free pages: an erasure rewrites
    # rows that held a person's data, and the old bytes must not stay in the file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def checkpoint(engine: Engine) -> None:
    """Copy SQLite's write-ahead log into the database file and empty it, so page images
    from before an erasure do not stay in the `-wal` file. A reader holding an old snapshot
    makes this partial (it is tried again after the next erasure, and SQLite truncates the
    log when the last connection closes). Nothing to do on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
