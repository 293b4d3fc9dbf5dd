"""Whether the database's tables are those this release needs, so DDL runs once, not per start.

Every process used to run its DDL on start: the event store's `CREATE TABLE/INDEX IF NOT
EXISTS` (which on PostgreSQL waits for the events table's lock, so a start queued behind any
long insert), then every read-model, key and session table. Now the first process of a
release (or `cairn db init`) creates them and records a *fingerprint* of what it created in
`cairn_schema`; a later start reads one row, finds the fingerprint current and runs no DDL.

The fingerprint is derived, not kept by hand: the DDL of every SQLAlchemy table Cairn
declares, the eventsourcing release (its tables and functions), and `REVISION`, raised by
hand only for a change neither shows (a legacy table to drop, say). So a release that adds a
table or an index runs its DDL once, on its first start, under the advisory lock."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import CreateIndex, CreateTable

from cairn.bootstrap.settings import Settings
from cairn.infrastructure.key_storage import key_metadata
from cairn.infrastructure.sealed_files import files_metadata
from cairn.infrastructure.sessions import session_metadata
from cairn.readmodels.catalogue import projection_classes
from cairn.readmodels.database import metadata as read_model_metadata

# Raise for a schema change the table definitions do not show.
REVISION = 1

# Its own metadata: never dropped by a read-model rebuild, never part of the fingerprint.
_marker_metadata = MetaData()
schema_marker = Table(
    "cairn_schema",
    _marker_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("fingerprint", String(64), nullable=False),
)


def fingerprint() -> str:
    """What this release's schema is, as one digest."""
    projection_classes()  # imports every read-model module, so all their tables are declared
    digest = hashlib.sha256(f"revision {REVISION}\n".encode())
    digest.update(f"eventsourcing {version('eventsourcing')}\n".encode())
    for meta in (read_model_metadata, key_metadata, session_metadata, files_metadata):
        for table in meta.sorted_tables:
            digest.update(str(CreateTable(table)).encode())
            for index in sorted(table.indexes, key=lambda i: i.name or ""):
                digest.update(str(CreateIndex(index)).encode())
    return digest.hexdigest()


def files_of(settings: Settings) -> list[Path]:
    """SQLite: the files that hold tables (a missing one, deleted
    or never made, means its tables must be made again). PostgreSQL: none."""
    if settings.uses_postgres:
        return []
    return [
        settings.read_models_path,
        settings.events_path,
        settings.keys_path,
        settings.sessions_path,
        settings.files_path,
    ]


def is_current(engine: Engine, files: Iterable[Path] = ()) -> bool:
    """Whether `engine`'s database records this release's fingerprint (and, on SQLite, the
    other files the tables live in are all there). Any doubt, such as no marker table yet,
    answers False: the caller then runs the DDL, which is always safe to run again."""
    if any(not path.exists() for path in files):
        return False
    try:
        with engine.connect() as conn:
            found = conn.execute(
                select(schema_marker.c.fingerprint).where(schema_marker.c.id == 1)
            ).scalar_one_or_none()
    except SQLAlchemyError:
        return False
    return found == fingerprint()


def mark_current(engine: Engine) -> None:
    """Record that the DDL for this release has run (inside the caller's schema lock)."""
    _marker_metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(schema_marker.delete())
        conn.execute(schema_marker.insert().values(id=1, fingerprint=fingerprint()))
