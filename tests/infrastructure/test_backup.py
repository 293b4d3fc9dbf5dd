"""Export the event log, import it into an empty store, get the same read models back;
and a backup that was changed, or opened with the wrong passphrase, imports nothing."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.personal_keys import MemoryKeyStore, subject_for_email
from cairn.infrastructure.backup import BackupError, export_events, import_events, read_backup
from cairn.operations.data_rights import erase_person, export_person
from tests.support.cli import assert_one_clear_line, cairn
from tests.support.providers import approve_with_checks
from tests.support.readmodels import snapshot
from tests.support.stores import make_settings

PASS = "correct horse battery staple"


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

        from tests.support.stores import PG_URL

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def keys_of(runtime: Runtime) -> object:
    return getattr(runtime, "keys", None)


def test_a_restored_store_rebuilds_the_same_read_models(
    runtime: Runtime, empty_runtime: Runtime, tmp_path: Path
) -> None:
    fill(runtime)
    backup = tmp_path / "cairn.events"
    summary = export_events(runtime.app, backup, keys_of(runtime), PASS)  # type: ignore[arg-type]
    assert summary.events == runtime.app.head()
    header = json.loads(backup.read_text().splitlines()[0])
    assert header["format"] == "cairn-events" and header["version"] == 2
    assert summary.keys == keys_of(runtime).count()  # type: ignore[attr-defined]

    import_events(empty_runtime.app, backup, keys_of(empty_runtime), PASS)  # type: ignore[arg-type]
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
    export_events(runtime.app, backup, keys_of(runtime), PASS)  # type: ignore[arg-type]
    head = runtime.app.head()
    with pytest.raises(BackupError, match="not empty"):
        import_events(runtime.app, backup, keys_of(runtime), PASS)  # type: ignore[arg-type]
    assert runtime.app.head() == head


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    if how == "flipped byte":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :])
    elif how == "flipped byte in the header":
        header = json.loads(lines[0])
        header["exported_at"] = "2020-01-01T00:00:00+00:00"
        path.write_bytes(json.dumps(header).encode() + b"\n" + b"".join(lines[1:]))
    elif how == "truncated":
        path.write_bytes(data[: len(data) * 2 // 3])
    elif how == "last chunk lost":
        path.write_bytes(b"".join(lines[:-1]))
    elif how == "chunks swapped":
        path.write_bytes(b"".join([lines[0], lines[2], lines[1], *lines[3:]]))
    elif how == "empty":
        path.write_bytes(b"")


def big_enough(runtime: Runtime) -> None:
    """Enough events for the backup to take several chunks."""
    for n in range(5):
        runtime.app.directory.apply(
            name=f"Chunk Co {n} " + "x" * 200_000,
            contact_name=f"Chunk {n}",
            email=f"chunk{n}@cairn.example",
            postcode="KA7 1AA",
            services=["gardening"],
        )


@pytest.mark.parametrize(
    "how",
    [
        "flipped byte",
        "flipped byte in the header",
        "truncated",
        "last chunk lost",
        "chunks swapped",
        "empty",
    ],
)
def test_a_damaged_backup_is_refused_and_nothing_is_imported(
    runtime: Runtime, empty_runtime: Runtime, tmp_path: Path, how: str
) -> None:
    fill(runtime)
    big_enough(runtime)
    backup = tmp_path / "cairn.events"
    export_events(runtime.app, backup, keys_of(runtime), PASS)  # type: ignore[arg-type]
    assert len(backup.read_bytes().splitlines()) >= 3  # a header and at least two chunks
    damage(backup, how)
    with pytest.raises(BackupError):
        read_backup(backup, PASS)
    with pytest.raises(BackupError):
        import_events(empty_runtime.app, backup, keys_of(empty_runtime), PASS)  # type: ignore[arg-type]
    assert empty_runtime.app.head() == 0
    assert keys_of(empty_runtime).count() == 0  # type: ignore[attr-defined]


def test_every_single_byte_changed_anywhere_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes all over a small backup, header included, each changed in turn, are noticed."""
    import cairn.infrastructure.backup as backup_module

    derive = backup_module._keys
    derived: dict[str, tuple[bytes, bytes]] = {}

    def once_per_header(passphrase: str, kdf: dict[str, object]) -> tuple[bytes, bytes]:
        # scrypt is slow on purpose; the same salt and cost need not be derived twice here.
        seen = json.dumps(kdf, sort_keys=True) + passphrase
        if seen not in derived:
            derived[seen] = derive(passphrase, kdf)  # type: ignore[arg-type]
        return derived[seen]

    monkeypatch.setattr(backup_module, "_keys", once_per_header)
    app = CairnApp(keys=MemoryKeyStore())
    app.accounts.register("ada@cic.example", "Ada", [Role.CIC_ADMIN], "a long enough password")
    backup = tmp_path / "small.events"
    export_events(app, backup, app.keys, PASS)  # type: ignore[arg-type]
    data = backup.read_bytes()
    header_end = data.index(b"\n")
    for at in [*range(0, header_end, 7), *range(header_end + 1, len(data) - 1, 13)]:
        changed = data[:at] + bytes([data[at] ^ 0x04]) + data[at + 1 :]
        backup.write_bytes(changed)
        with pytest.raises(BackupError):
            read_backup(backup, PASS)


def test_a_wrong_passphrase_is_refused_plainly(runtime: Runtime, tmp_path: Path) -> None:
    fill(runtime)
    backup = tmp_path / "cairn.events"
    export_events(runtime.app, backup, keys_of(runtime), PASS)  # type: ignore[arg-type]
    with pytest.raises(BackupError, match="passphrase does not open"):
        read_backup(backup, PASS + "!")


def test_nothing_secret_is_in_the_file_in_clear_and_it_is_private(
    runtime: Runtime, tmp_path: Path
) -> None:
    fill(runtime)
    backup = tmp_path / "cairn.events"
    export_events(runtime.app, backup, keys_of(runtime), PASS)  # type: ignore[arg-type]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    data = backup.read_bytes()
    state = keys_of(runtime).export_state()  # type: ignore[attr-defined]
    assert state.keys
    for _subject, key in state.keys:
        assert key not in data and base64.b64encode(key) not in data
    for secret in (b"argon2", b"Backup Co 1", b"gardening", state.keys[0][0].encode()):
        assert secret not in data  # password hashes, names, even event contents


def test_a_backup_with_a_changed_password_hash_is_refused(
    runtime: Runtime, empty_runtime: Runtime, tmp_path: Path
) -> None:
    """The attack of issue #14: take a backup, put in an administrator password hash you
    know, fix up the checksum, restore. The old format is refused outright; the new one
    cannot be changed without the passphrase (nor read to find the hash)."""
    fill(runtime)
    backup = tmp_path / "cairn.events"
    export_events(runtime.app, backup, keys_of(runtime), PASS)  # type: ignore[arg-type]
    content = read_backup(backup, PASS)
    # A forger who re-creates the file in the old, checksummed format:
    forged = tmp_path / "forged.events"
    records = [
        json.dumps(
            {
                "originator_id": str(e.originator_id),
                "originator_version": e.originator_version,
                "topic": e.topic,
                "state": base64.b64encode(
                    e.state.replace(b"argon2id", b"argon2iX")  # their own hash
                ).decode(),
            }
        ).encode()
        + b"\n"
        for e in content.events
    ]
    header = json.dumps(
        {"format": "cairn-events", "version": 1, "count": len(records), "keys": 0}
    ).encode()
    body = header + b"\n" + b"".join(records)
    forged.write_bytes(
        body + json.dumps({"sha256": hashlib.sha256(body).hexdigest()}).encode() + b"\n"
    )
    with pytest.raises(BackupError, match="version 1"):
        import_events(empty_runtime.app, forged, keys_of(empty_runtime), PASS)  # type: ignore[arg-type]
    # A forger who changes a chunk of the new format without the passphrase:
    lines = backup.read_bytes().splitlines(keepends=True)
    sealed = bytearray(base64.b64decode(lines[1]))
    sealed[40] ^= 0x01
    backup.write_bytes(lines[0] + base64.b64encode(bytes(sealed)) + b"\n" + b"".join(lines[2:]))
    with pytest.raises(BackupError, match="changed"):
        import_events(empty_runtime.app, backup, keys_of(empty_runtime), PASS)  # type: ignore[arg-type]
    assert empty_runtime.app.head() == 0


def test_a_backup_from_a_newer_cairn_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.events"
    path.write_bytes(json.dumps({"format": "cairn-events", "version": 99}).encode() + b"\n")
    with pytest.raises(BackupError, match="version 99"):
        read_backup(path, PASS)


def test_a_short_passphrase_is_refused(runtime: Runtime, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="at least 12"):
        export_events(runtime.app, tmp_path / "x.events", keys_of(runtime), "short")  # type: ignore[arg-type]
    assert list(tmp_path.glob("*.events")) == []


def test_erased_people_stay_erased_and_others_are_found_by_email_after_a_restore(
    runtime: Runtime, empty_runtime: Runtime, tmp_path: Path
) -> None:
    fill(runtime)
    erase_person(runtime, "p1@cairn.example")
    backup = tmp_path / "cairn.events"
    export_events(runtime.app, backup, keys_of(runtime), PASS)  # type: ignore[arg-type]
    import_events(empty_runtime.app, backup, keys_of(empty_runtime), PASS)  # type: ignore[arg-type]
    empty_runtime.sql_runner.catch_up()
    assert subject_for_email("p1@cairn.example", empty_runtime.keys) is None
    found = subject_for_email("P2@cairn.example", empty_runtime.keys)
    assert found == subject_for_email("p2@cairn.example", runtime.keys) and found is not None
    assert export_person(empty_runtime, "p2@cairn.example")["holds_key"] is True


def test_the_cli_exports_and_imports_and_says_no_plainly(tmp_path: Path) -> None:
    first = {"CAIRN_ENV": "development", "CAIRN_DATA_DIR": str(tmp_path / "one")}
    second = {"CAIRN_ENV": "development", "CAIRN_DATA_DIR": str(tmp_path / "two")}
    assert cairn("demo-data", env=first).returncode == 0
    backup = tmp_path / "demo.events"
    no_passphrase = cairn("export-events", str(backup), env=first)
    assert_one_clear_line(no_passphrase, "--passphrase-file", "CAIRN_BACKUP_PASSPHRASE")
    assert not backup.exists()
    exported = cairn("export-events", str(backup), env={**first, "CAIRN_BACKUP_PASSPHRASE": PASS})
    assert exported.returncode == 0, exported.stderr
    assert "Exported" in exported.stdout
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    passphrase_file = tmp_path / "passphrase"
    passphrase_file.write_text(PASS + "\n")
    by_file = ("--passphrase-file", str(passphrase_file))
    wrong = cairn(
        "import-events", str(backup), env={**second, "CAIRN_BACKUP_PASSPHRASE": "not it at all"}
    )
    assert_one_clear_line(wrong, "passphrase does not open", "Nothing was imported")
    imported = cairn("import-events", str(backup), *by_file, env=second)
    assert imported.returncode == 0, imported.stderr
    assert "read models rebuilt" in imported.stdout
    status = [cairn("projections", "status", env=e).stdout for e in (first, second)]
    assert status[0] == status[1]
    again = cairn("import-events", str(backup), *by_file, env=second)
    assert_one_clear_line(again, "not empty", "Nothing was imported")
    damage(backup, "flipped byte")
    third = {"CAIRN_ENV": "development", "CAIRN_DATA_DIR": str(tmp_path / "three")}
    assert_one_clear_line(cairn("import-events", str(backup), *by_file, env=third), "changed")


@pytest.mark.postgres
def test_a_sqlite_backup_restores_into_postgresql(tmp_path: Path, pg_schema: str) -> None:
    source = Runtime(make_settings("sqlite", tmp_path / "lite"))
    target = Runtime(make_settings("postgres", tmp_path / "pg", pg_schema))
    try:
        fill(source)
        backup = tmp_path / "move.events"
        export_events(source.app, backup, keys_of(source), PASS)  # type: ignore[arg-type]
        import_events(target.app, backup, keys_of(target), PASS)  # type: ignore[arg-type]
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
