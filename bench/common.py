"""Helpers shared by the benchmarks: temporary stores, timing, tables."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import psycopg
from psycopg import sql

from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import Settings, load_settings

T = TypeVar("T")
PG_URL = os.environ.get("CAIRN_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def postgres_available() -> bool:
    try:
        with psycopg.connect(PG_URL, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


@contextmanager
def fresh_runtime(backend: str) -> Iterator[Runtime]:
    """A Runtime over an empty store: a temp dir for SQLite, a throwaway schema for PostgreSQL."""
    with tempfile.TemporaryDirectory(prefix="cairn-bench-") as tmp:
        env = {"CAIRN_ENV": "test", "CAIRN_DATA_DIR": str(Path(tmp) / "data")}
        schema = None
        if backend == "postgres":
            schema = "bench_" + uuid.uuid4().hex[:12]
            env.update(CAIRN_DATABASE_URL=PG_URL, CAIRN_DATABASE_SCHEMA=schema)
        settings: Settings = load_settings(env)
        runtime = Runtime(settings)
        try:
            yield runtime
        finally:
            runtime.close()
            if schema:
                with psycopg.connect(PG_URL, autocommit=True) as conn:
                    conn.execute(
                        sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
                    )


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def current_rss_mib() -> float:
    """This process's resident memory now (not its peak, which can only grow)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def print_table(title: str, headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
