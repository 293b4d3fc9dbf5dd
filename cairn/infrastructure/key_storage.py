"""How the key store lays keys out in its database (see cairn.infrastructure.keystore).

The tables; on PostgreSQL, each key wrapped under the current key-encryption key (KEK);
on SQLite, connections that overwrite what they delete and a WAL truncated after a shred."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    insert,
    select,
    text,
)

key_metadata = MetaData()

# One row per subject. On SQLite `key` is the key itself; on PostgreSQL it is
# nonce + AES-GCM(KEK, key) and `kek_id` names the KEK it is wrapped under.
personal_keys = Table(
    "cairn_keys",
    key_metadata,
    Column("subject", String(100), primary_key=True),
    Column("kek_id", Integer, ForeignKey("cairn_keks.id"), nullable=True),
    Column("key", LargeBinary(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

keks = Table(
    "cairn_keks",
    key_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("kek", LargeBinary(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# HMAC(email secret, normalised email) -> the person's random subject.
email_subjects = Table(
    "cairn_email_subjects",
    key_metadata,
    Column("lookup", String(64), primary_key=True),
    Column("subject", String(100), nullable=False, index=True),
)

key_secrets = Table(
    "cairn_key_secrets",
    key_metadata,
    Column("name", String(40), primary_key=True),
    Column("value", LargeBinary(64), nullable=False),
)

LEGACY_TABLE = "personal_keys"  # where keys lived before: in the events' own database
CHUNK = 500


# -- keys wrapped under a KEK (PostgreSQL) ---------------------------------------------


def current_kek(conn: Connection) -> tuple[int, bytes]:
    """The newest KEK (id, key); the first is made here."""
    row = conn.execute(select(keks.c.id, keks.c.kek).order_by(keks.c.id.desc())).first()
    if row is not None:
        return int(row.id), bytes(row.kek)
    kek = AESGCM.generate_key(bit_length=256)
    conn.execute(insert(keks).values(id=1, kek=kek, created_at=datetime.now(tz=UTC)))
    return 1, kek


def seal(kek: tuple[int, bytes] | None, subject: str, key: bytes) -> dict[str, Any]:
    """A key row's `kek_id` and `key`: the key itself without a KEK (SQLite), else
    nonce + AES-GCM(KEK, key), bound to its subject so it cannot be moved to another."""
    if kek is None:
        return {"kek_id": None, "key": key}
    kek_id, kek_key = kek
    nonce = os.urandom(12)
    sealed = AESGCM(kek_key).encrypt(nonce, key, subject.encode())
    return {"kek_id": kek_id, "key": nonce + sealed}


def open_key(row: Any) -> bytes | None:
    """The key in a row of `select_keys()`; None if its KEK does not open it."""
    if row.kek is None:
        return bytes(row.key)
    blob = bytes(row.key)
    try:
        return AESGCM(bytes(row.kek)).decrypt(blob[:12], blob[12:], row.subject.encode())
    except InvalidTag:
        return None


def select_keys() -> Any:
    return select(personal_keys.c.subject, personal_keys.c.key, keks.c.kek).select_from(
        personal_keys.outerjoin(keks, keks.c.id == personal_keys.c.kek_id)
    )


# -- SQLite files that keep no copy of a deleted key ------------------------------------


def secure_delete(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def checkpoint_truncate(engine: Engine, attempts: int = 50) -> None:
    """Copy the SQLite WAL into the database and truncate it to nothing.

    A reader in another process can hold the checkpoint back for a moment: try again."""
    for _attempt in range(attempts):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            busy = conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).first()
        if busy is None or not busy[0]:
            return
        time.sleep(0.02)
    raise RuntimeError("the key store's write-ahead log could not be truncated; try again")


def deleting_transaction(conn: Connection) -> int:
    """The id of the transaction `conn` is in (PostgreSQL), to wait for older snapshots."""
    return int(conn.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar_one())


# A session whose snapshot began before the shred committed may still see the deleted rows,
# and VACUUM FULL must keep them for it. Wait for such sessions (in this database; others
# do not hold this database's rows back) before the rewrite, for at most this long.
SNAPSHOT_WAIT_SECONDS = 60.0

# Every other session counts, autovacuum's too: an automatic ANALYZE holds a snapshot that
# keeps dead rows as surely as a person's transaction does (a busy database analyses often).
# So does a write still running in *another* database of the cluster: VACUUM FULL's own
# snapshot starts at the oldest transaction running anywhere, and keeps for it what it
# deleted later; the current snapshot's xmin says whether one older than the shred is left.
_OLDER_SNAPSHOTS = text(
    "SELECT count(*) + CASE WHEN pg_snapshot_xmin(pg_current_snapshot())::text::bigint "
    "<= :xid THEN 1 ELSE 0 END FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND greatest(age(backend_xmin), age(backend_xid)) "
    ">= pg_snapshot_xmax(pg_current_snapshot())::text::bigint - :xid"
)


def wait_for_older_snapshots(
    conn: Connection, xid: int, timeout: float = SNAPSHOT_WAIT_SECONDS
) -> int:
    """Wait until no other session can still see what transaction `xid` deleted, and no
    transaction older than it runs anywhere in the cluster; the number of sessions still
    holding on when `timeout` ran out (0 when none are; a write elsewhere counts as one)."""
    deadline = time.monotonic() + timeout
    while True:
        holding = int(conn.execute(_OLDER_SNAPSHOTS, {"xid": xid}).scalar_one())
        if not holding or time.monotonic() >= deadline:
            return holding
        time.sleep(0.05)
