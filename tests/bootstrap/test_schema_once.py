"""Tables are made once per release: a start on a current schema runs no DDL, so it never
queues behind a long write holding the events table's lock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, event

from cairn.bootstrap import schema
from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import Settings
from tests.support.cli import cairn
from tests.support.stores import PG_URL

DDL = ("CREATE", "DROP", "ALTER")
# What create_all reads to decide which tables are missing.
CATALOGUE = ("table_info", "sqlite_master", "sqlite_temp_master", "pg_catalog", "pg_class")


@pytest.fixture
def ddl_seen() -> Iterator[list[str]]:
    """Every DDL statement, or catalogue look-up before one, that any SQLAlchemy engine runs
    while the test does."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(DDL) or any(c in statement for c in CATALOGUE):
            seen.append(statement.strip().splitlines()[0])

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def test_the_first_start_makes_the_tables_and_later_starts_run_no_ddl(
    settings: Settings, ddl_seen: list[str]
) -> None:
    Runtime(settings).close()
    assert any("CREATE TABLE" in s for s in ddl_seen)
    ddl_seen.clear()

    again = Runtime(settings)
    try:
        assert ddl_seen == []
        # The store works as before: a write, projected.
        done = again.app.directory.apply(
            name="After",
            contact_name="A",
            email="after@example.org",
            postcode="KA7 1AA",
            services=["gardening"],
        )
        again.sql_runner.catch_up()
        assert again.sql_sink.position() == done.position
    finally:
        again.close()


def test_a_release_with_another_schema_runs_its_ddl_once(
    settings: Settings, ddl_seen: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Runtime(settings).close()
    monkeypatch.setattr(schema, "REVISION", schema.REVISION + 1)
    ddl_seen.clear()
    upgraded = Runtime(settings)
    try:
        assert ddl_seen  # every table was checked for, and any missing one made
        assert schema.is_current(upgraded.read_engine, schema.files_of(settings))
    finally:
        upgraded.close()
    ddl_seen.clear()
    Runtime(settings).close()
    assert ddl_seen == []


def test_a_missing_sqlite_file_has_its_tables_made_again(tmp_path: Path) -> None:
    from tests.support.stores import make_settings

    settings = make_settings("sqlite", tmp_path)
    Runtime(settings).close()
    settings.events_path.unlink()
    rebuilt = Runtime(settings)
    try:
        assert rebuilt.app.head() == 0  # the events table is there again, empty
    finally:
        rebuilt.close()


@pytest.mark.postgres
def test_a_start_does_not_wait_for_a_writer_holding_the_events_table(
    tmp_path: Path, pg_schema: str
) -> None:
    from tests.support.stores import make_settings

    settings = make_settings("postgres", tmp_path, pg_schema)
    first = Runtime(settings)
    table = first.app.recorder.events_table_name  # type: ignore[attr-defined]
    first.close()
    started: list[Runtime] = []
    with psycopg.connect(PG_URL) as holder:
        # What the event store takes for every inserting transaction (a long import, say).
        holder.execute(
            sql.SQL("LOCK TABLE {}.{} IN EXCLUSIVE MODE").format(
                sql.Identifier(pg_schema), sql.Identifier(table)
            )
        )
        starting = threading.Thread(target=lambda: started.append(Runtime(settings)))
        starting.start()
        starting.join(30)
        finished = not starting.is_alive()
        holder.rollback()  # let go, so a start that was stuck can end
    starting.join(30)
    for runtime in started:
        runtime.close()
    assert finished, "the start waited for the events table's lock (it ran DDL)"


def test_db_check_says_whether_db_init_has_run(tmp_path: Path) -> None:
    env = {"CAIRN_ENV": "development", "CAIRN_DATA_DIR": str(tmp_path / "data")}
    before = cairn("db", "check", env=env)
    assert before.returncode == 1 and "run `cairn db init`" in before.stderr
    assert not (tmp_path / "data" / "read_models.sqlite").exists()  # checking made nothing
    made = cairn("db", "init", env=env)
    assert made.returncode == 0 and "Created the schema" in made.stdout, made.stderr
    again = cairn("db", "init", env=env)
    assert again.returncode == 0 and "already current" in again.stdout
    after = cairn("db", "check", env=env)
    assert after.returncode == 0 and "current" in after.stdout
