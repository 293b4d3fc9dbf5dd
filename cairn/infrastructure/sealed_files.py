"""Uploaded files, sealed (cairn.domain.sealed_files), kept in a database table.

Like the sign-in sessions, the table lives outside the read models (its own SQLite file, or
its own table in the PostgreSQL schema under a separate MetaData), so a rebuild never empties
it, and every node that shares the database serves the same files. A file is one row written
in one transaction: a crash leaves it whole or absent, never half-written. Only sealed bytes
are stored; erasing the owner shreds their key and so every file of theirs."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from uuid import UUID

from sqlalchemy import (
    Column,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Table,
    Uuid,
    delete,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from cairn.domain.sealed_files import SealedFile
from cairn.readmodels.database import make_engine

files_metadata = MetaData()

sealed_files = Table(
    "sealed_files",
    files_metadata,
    Column("file_id", Uuid, primary_key=True),
    Column("owner_id", Uuid, nullable=False, index=True),
    Column("media_type", String(60), nullable=False),
    Column("sealed", LargeBinary, nullable=False),
)


class SqlSealedFileStore:
    def __init__(self, engine: Engine, *, create: bool = True) -> None:
        self.engine = engine
        if create:  # False when the schema is known to be current (cairn.bootstrap.schema)
            # Another process may create it at the same moment (a PostgreSQL catalogue race).
            with suppress(IntegrityError):
                files_metadata.create_all(engine)

    @classmethod
    def open(cls, *, shared: Engine | None, path: Path, create: bool = True) -> SqlSealedFileStore:
        """PostgreSQL: the `shared` schema's engine. SQLite: a file of its own at `path`."""
        if shared is not None:
            return cls(shared, create=create)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        return cls(make_engine(f"sqlite:///{path}"), create=create)

    def put(self, file: SealedFile) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(sealed_files).values(
                    file_id=file.file_id,
                    owner_id=file.owner_id,
                    media_type=file.media_type,
                    sealed=file.sealed,
                )
            )

    def get(self, file_id: UUID) -> SealedFile | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(sealed_files).where(sealed_files.c.file_id == file_id)
            ).first()
        if row is None:
            return None
        return SealedFile(row.file_id, row.owner_id, row.media_type, bytes(row.sealed))

    def delete(self, file_id: UUID) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(sealed_files).where(sealed_files.c.file_id == file_id))

    def count(self) -> int:
        with self.engine.connect() as conn:
            return len(conn.execute(select(sealed_files.c.file_id)).all())
