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

    def keys_for(self, subjects: Iterable[str]) -> dict[str, bytes]:
        """Each subject's key; the missing ones are created together in one transaction."""
        wanted = sorted(set(subjects))
        found = self._existing(wanted)
        missing = [s for s in wanted if s not in found]
        if missing:
            now = datetime.now(tz=UTC)
            new = {s: AESGCM.generate_key(bit_length=256) for s in missing}
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        insert(personal_keys),
                        [{"subject": s, "key": k, "created_at": now} for s, k in new.items()],
                    )
                found.update(new)
            except IntegrityError:  # a concurrent command made one of them: use what is stored
                found.update(self._existing(missing))
                for subject in missing:
                    if subject not in found:
                        key = self.key_for(subject, create=True)
                        assert key is not None
                        found[subject] = key
        return found

    def _existing(self, subjects: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(subjects), 500):  # keep IN lists a sensible length
                chunk = subjects[start : start + 500]
                rows = conn.execute(
                    select(personal_keys.c.subject, personal_keys.c.key).where(
                        personal_keys.c.subject.in_(chunk)
                    )
                )
                found.update({row.subject: bytes(row.key) for row in rows})
        return found

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
