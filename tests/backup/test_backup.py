"""Export the event log, import it into an empty store, get the same read models back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.accounts.roles import Role
from tests.conftest import make_settings
from tests.provider_helpers import approve_with_checks
from tests.readmodels import snapshot
from tests.webapp.test_cli import assert_one_clear_line, cairn
from webapp.backup import BackupError, export_events, import_events, read_backup
from webapp.runtime import Runtime


def fill(runtime: Runtime) -> None:
    admin = runtime.app.accounts.register(
        "ada@cic.example", "Ada", [Role.CIC_ADMIN], "a long enough password"
    )
    for n in range(7):
        done = runtime.app.directory.apply(
            name=f"Backup Co {n}",
            contact_name=f"Person {n}",
            email=f"p{n}@cairn.example",
            postcode="KA7 1AA",
            services=["gardening", "respite"],
        )
        if n % 2:
            approve_with_checks(runtime.app, done.id, by=admin.id)
        elif n % 3 == 0:
            runtime.app.directory.decline(done.id, by=admin.id, reason="Outside our area")
    runtime.sql_runner.catch_up()


@pytest.fixture
def empty_runtime(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Runtime]:
    schema = request.getfixturevalue("pg_schema") + "_b" if backend == "postgres" else None
    other = Runtime(make_settings(backend, tmp_path / "restored", schema))
    yield other
    other.close()
    if schema:
        import psycopg
        from psycopg import sql

        from tests.conftest import PG_URL

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def keys_of(runtime: Runtime) -> object:
    return getattr(runtime, "keys", None)


def test_a_restored_store_rebuilds_the_same_read_models(
    runtime: Runtime, empty_runtime: Runtime, tmp_path: Path
) -> None:
    fill(runtime)
    backup = tmp_path / "cairn.events"
    summary = export_events(runtime.app, backup, keys_of(runtime))  # type: ignore[arg-type]
    assert summary.events == runtime.app.head()
    header = json.loads(backup.read_text().splitlines()[0])
    assert header["format"] == "cairn-events" and header["version"] == 1
    assert header["count"] == summary.events

    import_events(empty_runtime.app, backup, keys_of(empty_runtime))  # type: ignore[arg-type]
    empty_runtime.sql_runner.catch_up()
    assert snapshot(empty_runtime.read_engine) == snapshot(runtime.read_engine)
    # And the restored store works: new commands continue the same history.
    empty_runtime.app.directory.apply(
        name="After restore",
        contact_name="Pat",
        email="after@cairn.example",
        postcode="KA7 1AA",
        services=["gardening"],
    )


def test_an_import_into_a_store_that_has_events_is_refused_and_changes_nothing(
    runtime: Runtime, tmp_path: Path
) -> None:
    fill(runtime)
    backup = tmp_path / "cairn.events"
    export_events(runtime.app, backup, keys_of(runtime))  # type: ignore[arg-type]
    head = runtime.app.head()
    with pytest.raises(BackupError, match="not empty"):
        import_events(runtime.app, backup, keys_of(runtime))  # type: ignore[arg-type]
    assert runtime.app.head() == head


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "flipped byte":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :])
    elif how == "truncated":
        path.write_bytes(data[: len(data) * 2 // 3])
    elif how == "last line lost":
        path.write_bytes(b"".join(data.splitlines(keepends=True)[:-1]))
    elif how == "line removed with checksum redone":
        import hashlib

        lines = data.splitlines(keepends=True)
        body = b"".join([lines[0], *lines[2:-1]])
        path.write_bytes(
            body + json.dumps({"sha256": hashlib.sha256(body).hexdigest()}).encode() + b"\n"
        )
    elif how == "empty":
        path.write_bytes(b"")


@pytest.mark.parametrize(
    "how",
    ["flipped byte", "truncated", "last line lost", "line removed with checksum redone", "empty"],
)
def test_a_damaged_backup_is_refused_and_nothing_is_imported(
    runtime: Runtime, empty_runtime: Runtime, tmp_path: Path, how: str
) -> None:
    fill(runtime)
    backup = tmp_path / "cairn.events"
    export_events(runtime.app, backup, keys_of(runtime))  # type: ignore[arg-type]
    damage(backup, how)
    with pytest.raises(BackupError):
        read_backup(backup)
    with pytest.raises(BackupError):
        import_events(empty_runtime.app, backup, keys_of(empty_runtime))  # type: ignore[arg-type]
    assert empty_runtime.app.head() == 0


def test_a_backup_from_a_newer_cairn_is_refused(tmp_path: Path) -> None:
    import hashlib

    header = json.dumps({"format": "cairn-events", "version": 99, "count": 0, "keys": 0}) + "\n"
    body = header.encode()
    path = tmp_path / "future.events"
    path.write_bytes(
        body + json.dumps({"sha256": hashlib.sha256(body).hexdigest()}).encode() + b"\n"
    )
    with pytest.raises(BackupError, match="version 99"):
        read_backup(path)


def test_the_cli_exports_and_imports_and_says_no_plainly(tmp_path: Path) -> None:
    first = {"CAIRN_ENV": "development", "CAIRN_DATA_DIR": str(tmp_path / "one")}
    second = {"CAIRN_ENV": "development", "CAIRN_DATA_DIR": str(tmp_path / "two")}
    assert cairn("demo-data", env=first).returncode == 0
    backup = tmp_path / "demo.events"
    exported = cairn("export-events", str(backup), env=first)
    assert exported.returncode == 0, exported.stderr
    assert "Exported" in exported.stdout
    imported = cairn("import-events", str(backup), env=second)
    assert imported.returncode == 0, imported.stderr
    assert "read models rebuilt" in imported.stdout
    status = [cairn("projections", "status", env=e).stdout for e in (first, second)]
    assert status[0] == status[1]
    again = cairn("import-events", str(backup), env=second)
    assert_one_clear_line(again, "not empty", "Nothing was imported")
    damage(backup, "flipped byte")
    third = {"CAIRN_ENV": "development", "CAIRN_DATA_DIR": str(tmp_path / "three")}
    assert_one_clear_line(cairn("import-events", str(backup), env=third), "damaged")


@pytest.mark.postgres
def test_a_sqlite_backup_restores_into_postgresql(tmp_path: Path, pg_schema: str) -> None:
    source = Runtime(make_settings("sqlite", tmp_path / "lite"))
    target = Runtime(make_settings("postgres", tmp_path / "pg", pg_schema))
    try:
        fill(source)
        backup = tmp_path / "move.events"
        export_events(source.app, backup, keys_of(source))  # type: ignore[arg-type]
        import_events(target.app, backup, keys_of(target))  # type: ignore[arg-type]
        target.sql_runner.catch_up()
        lite, pg = snapshot(source.read_engine), snapshot(target.read_engine)
        assert {t: len(rows) for t, rows in lite.items()} == {t: len(r) for t, r in pg.items()}
        # Same providers (id, name) whichever database holds them.
        assert sorted(r[:3:2] for r in lite["providers"]) == sorted(
            r[:3:2] for r in pg["providers"]
        )
    finally:
        source.close()
        target.close()
