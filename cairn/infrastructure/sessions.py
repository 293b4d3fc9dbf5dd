"""Server-side sign-in sessions: the cookie carries a random token, the database decides.

Flask's session cookie is signed, not revocable: a copy keeps working until it expires.
So the cookie holds only a random token, and this table says whether it still means
anything. Signing out deletes the row; changing the password, disabling the account or
"sign out everywhere" deletes all the account's rows. Every request checks the row, so
the end is immediate on every worker and node that shares the database.

The table lives outside the read models (its own SQLite file, or its own table in the
PostgreSQL schema under a separate MetaData), so rebuilding read models never signs
anyone out. Only a SHA-256 of each token is stored: a leaked table cannot be replayed.
Times are stored as UNIX seconds, so SQLite and PostgreSQL compare them the same way.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from uuid import UUID

from sqlalchemy import (
    Column,
    Engine,
    Float,
    MetaData,
    String,
    Table,
    Uuid,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from cairn.domain.clock import Clock
from cairn.readmodels.database import make_engine

session_metadata = MetaData()

web_sessions = Table(
    "web_sessions",
    session_metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Uuid, nullable=False, index=True),
    Column("started_at", Float, nullable=False),
    Column("last_seen_at", Float, nullable=False),
)

# How stale last_seen_at may get before a request writes it again: one write a minute per
# session at most, instead of one per request. Idle timeouts are minutes long.
TOUCH_EVERY_SECONDS = 60.0


class Verdict(StrEnum):
    OK = "ok"
    IDLE = "idle"  # too long without a request
    LIFETIME = "lifetime"  # signed in for longer than the absolute lifetime
    ENDED = "ended"  # signed out, here or elsewhere, or never existed


@dataclass(frozen=True)
class SessionPolicy:
    idle_seconds: float
    admin_idle_seconds: float
    lifetime_seconds: float

    def idle_for(self, *, admin: bool) -> float:
        return self.admin_idle_seconds if admin else self.idle_seconds


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    def __init__(
        self, engine: Engine, clock: Clock, policy: SessionPolicy, *, create: bool = True
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.policy = policy
        if create:  # False when the schema is known to be current (cairn.bootstrap.schema)
            # Another process may create it at the same moment (a PostgreSQL catalogue race).
            with suppress(IntegrityError):
                session_metadata.create_all(engine)

    @classmethod
    def open(
        cls,
        policy: SessionPolicy,
        clock: Clock,
        *,
        shared: Engine | None,
        path: Path,
        create: bool = True,
    ) -> SessionStore:
        """PostgreSQL: the `shared` schema's engine. SQLite: a 0600 file of its own at `path`,
        untouched by read-model rebuilds."""
        if shared is not None:
            return cls(shared, clock, policy, create=create)
        _private_file(path)
        return cls(make_engine(f"sqlite:///{path}"), clock, policy, create=create)

    def _now(self) -> float:
        return self.clock().timestamp()

    def start(self, account_id: UUID) -> str:
        """A new session for the account; returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        now = self._now()
        with self.engine.begin() as conn:
            conn.execute(
                insert(web_sessions).values(
                    token_hash=_hash(token), account_id=account_id, started_at=now, last_seen_at=now
                )
            )
        self.purge()
        return token

    def check(self, token: str | None, account_id: UUID, *, admin: bool) -> Verdict:
        """Whether this token is a live session of this account; a live one is touched,
        an expired one deleted."""
        if not token:
            return Verdict.ENDED
        key = _hash(token)
        with self.engine.connect() as conn:
            row = conn.execute(select(web_sessions).where(web_sessions.c.token_hash == key)).first()
        if row is None or row.account_id != account_id:
            return Verdict.ENDED
        now = self._now()
        verdict = Verdict.OK
        if now - row.started_at >= self.policy.lifetime_seconds:
            verdict = Verdict.LIFETIME
        elif now - row.last_seen_at >= self.policy.idle_for(admin=admin):
            verdict = Verdict.IDLE
        if verdict is not Verdict.OK:
            self.end(token)
        elif now - row.last_seen_at >= TOUCH_EVERY_SECONDS:
            with self.engine.begin() as conn:
                conn.execute(
                    update(web_sessions)
                    .where(web_sessions.c.token_hash == key)
                    .values(last_seen_at=now)
                )
        return verdict

    def end(self, token: str | None) -> None:
        if not token:
            return
        with self.engine.begin() as conn:
            conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == _hash(token)))

    def end_all(self, account_id: UUID) -> int:
        """End every session of the account, on every node; how many there were."""
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(web_sessions).where(web_sessions.c.account_id == account_id)
            )
        return int(result.rowcount or 0)

    def count(self, account_id: UUID) -> int:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(web_sessions.c.token_hash).where(web_sessions.c.account_id == account_id)
            ).all()
        return len(rows)

    def purge(self) -> None:
        """Forget sessions that can no longer be used (each sign-in tidies up)."""
        now = self._now()
        longest_idle = max(self.policy.idle_seconds, self.policy.admin_idle_seconds)
        with self.engine.begin() as conn:
            conn.execute(
                delete(web_sessions).where(
                    or_(
                        web_sessions.c.started_at <= now - self.policy.lifetime_seconds,
                        web_sessions.c.last_seen_at <= now - longest_idle,
                    )
                )
            )

    def close(self) -> None:
        self.engine.dispose()


def _private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only, before SQLite opens it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
