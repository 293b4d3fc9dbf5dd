"""Per-person keys in the event store's own database (SQLite file or PostgreSQL schema).

Kept apart from the read models on purpose: read models are dropped and rebuilt at will,
keys never are. Deleting a key row is the erasure; there is no other copy (except in
backups made before it, see docs/data-rights.md)."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from datetime import UTC, datetime

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

key_metadata = MetaData()

personal_keys = Table(
    "personal_keys",
    key_metadata,
    Column("subject", String(100), primary_key=True),
    Column("key", LargeBinary(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


class SqlKeyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Another process may create it at the same moment (a PostgreSQL catalogue race).
        with suppress(IntegrityError):
            key_metadata.create_all(engine)

    def key_for(self, subject: str, *, create: bool) -> bytes | None:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(personal_keys.c.key).where(personal_keys.c.subject == subject)
            ).scalar_one_or_none()
        if found is not None or not create:
            return found
        try:
            with self.engine.begin() as conn:
                key = AESGCM.generate_key(bit_length=256)
                conn.execute(
                    insert(personal_keys).values(
                        subject=subject, key=key, created_at=datetime.now(tz=UTC)
                    )
                )
                return key
        except IntegrityError:
            return self.key_for(subject, create=False)  # made by a concurrent command

    def shred(self, subject: str) -> bool:
        """Destroy a subject's key; True if there was one."""
        with self.engine.begin() as conn:
            result = conn.execute(delete(personal_keys).where(personal_keys.c.subject == subject))
        return bool(result.rowcount)

    def export_keys(self) -> list[tuple[str, bytes]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(personal_keys.c.subject, personal_keys.c.key).order_by(
                    personal_keys.c.subject
                )
            ).all()
        return [(r.subject, bytes(r.key)) for r in rows]

    def import_keys(self, keys: Iterable[tuple[str, bytes]]) -> None:
        now = datetime.now(tz=UTC)
        rows = [{"subject": s, "key": k, "created_at": now} for s, k in keys]
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(personal_keys), rows)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(personal_keys)).scalar_one())
