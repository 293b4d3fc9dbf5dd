"""Counters with a fixed window, shared by every worker and node: the rate-limit store.

Rate limits and sign-in lockout count here. A count kept per process would let a script
spread its guesses over the workers, so there is no silent in-process default: `cairn serve`
counts in the PostgreSQL database when there is one, else in a SQLite file in the data
directory (which every worker on the host shares), or in Redis when
CAIRN_RATELIMIT_STORAGE_URI says so. `memory://` exists for one-process tools and tests, and
only when asked for by name.

Keys are digests made by the caller (cairn.web.ratelimit), never raw addresses or emails, and
every counter expires: nothing here is a lasting trace of anyone."""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Column, Engine, Float, Integer, MetaData, String, Table, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from cairn.readmodels.database import make_engine

Clock = Callable[[], float]

metadata = MetaData()
counters = Table(
    "rate_limit_counters",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("hits", Integer, nullable=False),
    Column("resets_at", Float, nullable=False),  # seconds since the epoch
)


class StoreUnavailable(Exception):
    """The store did not answer: the request is refused (503), never let through uncounted."""


@dataclass(frozen=True)
class Count:
    hits: int
    resets_at: float  # when the window ends; 0 when there is no counter


class CounterStore(Protocol):
    clock: Clock

    def incr(self, key: str, window: float) -> Count:
        """Add one hit to `key`. A new or expired counter starts a window of `window` seconds;
        hits inside a window never move its end."""

    def get(self, key: str) -> Count: ...

    def clear(self, key: str) -> None: ...


class MemoryStore:
    """One process only: for tests and single-process tools, never a silent default."""

    def __init__(self, clock: Clock = time.time) -> None:
        self.clock = clock
        self._counts: dict[str, Count] = {}
        self._lock = threading.Lock()

    def incr(self, key: str, window: float) -> Count:
        now = self.clock()
        with self._lock:
            current = self._counts.get(key)
            if current is None or current.resets_at <= now:
                current = Count(0, now + window)
            current = Count(current.hits + 1, current.resets_at)
            self._counts[key] = current
            if len(self._counts) > 100_000:
                self._counts = {k: c for k, c in self._counts.items() if c.resets_at > now}
            return current

    def get(self, key: str) -> Count:
        current = self._counts.get(key)
        if current is None or current.resets_at <= self.clock():
            return Count(0, 0.0)
        return current

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class SqlStore:
    """Counters in one table. Each hit is one atomic upsert (INSERT … ON CONFLICT … DO UPDATE
    … RETURNING, on PostgreSQL and SQLite alike), so two workers hitting one key at once both
    count and each sees its own total."""

    PURGE_EVERY = 500  # hits between sweeps of expired rows

    def __init__(self, engine: Engine, clock: Clock = time.time) -> None:
        self.engine = engine
        self.clock = clock
        self._insert: Any = (
            postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        )
        self._hits_since_purge = 0
        try:
            metadata.create_all(engine, checkfirst=True)
        except SQLAlchemyError:
            # Two workers starting at once may race to create the table; one wins.
            metadata.create_all(engine, checkfirst=True)

    def incr(self, key: str, window: float) -> Count:
        now = self.clock()
        expired = counters.c.resets_at <= now
        statement = (
            self._insert(counters)
            .values(key=key, hits=1, resets_at=now + window)
            .on_conflict_do_update(
                index_elements=[counters.c.key],
                # Both expressions read the row as it was before this update.
                set_={
                    "hits": case((expired, 1), else_=counters.c.hits + 1),
                    "resets_at": case((expired, now + window), else_=counters.c.resets_at),
                },
            )
            .returning(counters.c.hits, counters.c.resets_at)
        )
        # A database that does not answer raises as any query would: cairn.web.unavailable
        # turns that into the 503 page, so nothing goes through uncounted.
        with self.engine.begin() as conn:
            row = conn.execute(statement).one()
            self._hits_since_purge += 1
            if self._hits_since_purge >= self.PURGE_EVERY:
                self._hits_since_purge = 0
                conn.execute(delete(counters).where(counters.c.resets_at <= now))
        return Count(int(row.hits), float(row.resets_at))

    def get(self, key: str) -> Count:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(counters.c.hits, counters.c.resets_at).where(counters.c.key == key)
            ).one_or_none()
        if row is None or row.resets_at <= self.clock():
            return Count(0, 0.0)
        return Count(int(row.hits), float(row.resets_at))

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(counters).where(counters.c.key == key))


class RedisStore:
    """Counters in Redis. SET NX EX starts a window, INCR counts,
    in one MULTI so a window cannot end between the two."""

    def __init__(self, url: str, clock: Clock = time.time) -> None:
        import redis  # check_uri made sure it is installed before the app started

        self._errors: tuple[type[Exception], ...] = (redis.RedisError,)
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.clock = clock

    def incr(self, key: str, window: float) -> Count:
        milliseconds = max(1, int(window * 1000))
        try:
            pipe = self.client.pipeline(transaction=True)
            pipe.set(key, 0, px=milliseconds, nx=True)
            pipe.incr(key)
            pipe.pttl(key)
            _created, hits, left = pipe.execute()
        except self._errors as error:
            raise StoreUnavailable(str(error)) from error
        return Count(int(hits), self.clock() + max(int(left), 0) / 1000)

    def get(self, key: str) -> Count:
        try:
            pipe = self.client.pipeline(transaction=True)
            pipe.get(key)
            pipe.pttl(key)
            hits, left = pipe.execute()
        except self._errors as error:
            raise StoreUnavailable(str(error)) from error
        if hits is None or int(left) <= 0:
            return Count(0, 0.0)
        return Count(int(hits), self.clock() + int(left) / 1000)

    def clear(self, key: str) -> None:
        try:
            self.client.delete(key)
        except self._errors as error:
            raise StoreUnavailable(str(error)) from error


SCHEMES = ("redis://", "rediss://", "unix://")


def check_uri(uri: str) -> str | None:
    """What is wrong with a CAIRN_RATELIMIT_STORAGE_URI, or None if it will do."""
    if uri.startswith(SCHEMES) and importlib.util.find_spec("redis") is None:
        return (
            "CAIRN_RATELIMIT_STORAGE_URI names Redis, but the redis package (a dependency "
            "of Cairn) is not installed: reinstall Cairn, or pip install redis"
        )
    if not uri or uri == "memory://" or uri.startswith(SCHEMES):
        return None
    return (
        "CAIRN_RATELIMIT_STORAGE_URI must be redis://…, rediss://…, unix://… or memory:// "
        "(or unset, to count in the database)"
    )


def open_store(
    uri: str, *, postgres_engine: Engine | None, data_dir: Path, clock: Clock = time.time
) -> CounterStore:
    """The store `uri` names; with no uri, the shared default (see the module docstring)."""
    problem = check_uri(uri)
    if problem:
        raise ValueError(problem)
    if uri.startswith(SCHEMES):
        return RedisStore(uri, clock)
    if uri == "memory://":
        return MemoryStore(clock)
    if postgres_engine is not None:
        return SqlStore(postgres_engine, clock)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "rate-limits.sqlite"
    path.touch(mode=0o600, exist_ok=True)
    return SqlStore(make_engine(f"sqlite:///{path}"), clock)
