"""Shared fixtures: a fresh Cairn on SQLite or on its own PostgreSQL schema, and (from
tests/support) the web client, the learning teams and the authorization matrix's world."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import Settings
from tests.support.stores import PG_URL, make_settings, require_postgres

# Fixtures every folder may use, defined once beside the helpers they go with.
pytest_plugins = [
    "tests.support.web",
    "tests.support.learning",
    "tests.support.roles",
    "tests.support.mail",
]


@pytest.fixture
def pg_schema() -> Iterator[str]:
    require_postgres()
    schema = "t_" + uuid.uuid4().hex[:16]
    yield schema
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    schema = request.getfixturevalue("pg_schema") if backend == "postgres" else None
    return make_settings(backend, tmp_path, schema)


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = Runtime(settings)
    yield rt
    rt.close()
