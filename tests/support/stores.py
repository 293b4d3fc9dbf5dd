"""Where the test stores are: the PostgreSQL server, the sample files, and settings for a
fresh Cairn on SQLite or on its own PostgreSQL schema."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest

from cairn.bootstrap.settings import Settings, load_settings

PG_URL = os.environ.get("CAIRN_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"


def postgres_available() -> bool:
    try:
        with psycopg.connect(PG_URL, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


_PG = postgres_available()


def require_postgres() -> None:
    """Locally a missing server skips; in CI a skip would hide a failure, so it fails."""
    if _PG:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL}, and CI must test it")
    pytest.skip("PostgreSQL is not reachable")


def make_settings(
    backend: str, tmp_path: Path, schema: str | None = None, **extra: str
) -> Settings:
    env = {
        "CAIRN_ENV": "test",
        "CAIRN_DATA_DIR": str(tmp_path / "data"),
        "CAIRN_POLL_INTERVAL": "0.05",
    }
    if backend == "postgres":
        assert schema
        env["CAIRN_DATABASE_URL"] = PG_URL
        env["CAIRN_DATABASE_SCHEMA"] = schema
    env.update(extra)
    return load_settings(env)
