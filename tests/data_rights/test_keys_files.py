"""A shredded key is gone from every file Cairn keeps; data files are for Cairn's user only."""

from __future__ import annotations

import base64
import sqlite3
import stat
from pathlib import Path

import pytest

from cairn.bootstrap.runtime import Runtime
from cairn.domain.directory.provider import Provider
from cairn.domain.personal import ERASED, legacy_subject_for_email
from cairn.domain.personal_keys import subject_for_email
from cairn.infrastructure.keystore import SqlKeyStore
from cairn.operations.data_rights import erase_person
from tests.support.stores import make_settings

EMAIL = "morag@keys.example"


def apply(runtime: Runtime, email: str = EMAIL, name: str = "Morag Keys") -> Provider:
    done = runtime.app.directory.apply(
        name="Keys Co", contact_name=name, email=email, postcode="KA7 1AA", services=["gardening"]
    )
    for runner in runtime.runners:
        runner.catch_up()
    return runtime.app.load(Provider, done.id)


def every_byte(directory: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in directory.rglob("*") if p.is_file()}


def forms(secret: bytes) -> list[bytes]:
    """The ways a key could sit in a file: raw, base64, hex."""
    return [secret, base64.b64encode(secret), secret.hex().encode()]


def holding(files: dict[Path, bytes], secret: bytes) -> list[str]:
    return [p.name for p, data in files.items() for form in forms(secret) if form in data]


def test_keys_have_their_own_file_and_a_shredded_key_is_in_no_file(tmp_path: Path) -> None:
    runtime = Runtime(make_settings("sqlite", tmp_path))
    try:
        apply(runtime)
        apply(runtime, "other@keys.example", "Other Person")
        subject = subject_for_email(EMAIL, runtime.keys)
        assert subject is not None
        key = runtime.keys.key_for(subject, create=False)
        assert key is not None
        data_dir = runtime.settings.data_dir
        before = every_byte(data_dir)
        assert holding(before, key) and set(holding(before, key)) <= {
            "keys.sqlite",
            "keys.sqlite-wal",
        }
        erase_person(runtime, EMAIL)
        after = every_byte(data_dir)
        assert holding(after, key) == []
        # The other person's key is still there and still works.
        other = subject_for_email("other@keys.example", runtime.keys)
        assert other is not None and runtime.keys.key_for(other, create=False) is not None
    finally:
        runtime.close()
    assert holding(every_byte(tmp_path), key) == []


def modes(directory: Path) -> dict[str, int]:
    return {
        str(p.relative_to(directory)): stat.S_IMODE(p.stat().st_mode)
        for p in [directory, *directory.rglob("*")]
    }


def test_every_data_file_and_directory_is_private(tmp_path: Path) -> None:
    runtime = Runtime(make_settings("sqlite", tmp_path))
    try:
        apply(runtime)  # writes events, keys, read models, both search indexes
        found = modes(runtime.settings.data_dir)
    finally:
        runtime.close()
    names = set(found)
    assert {"events.sqlite", "keys.sqlite", "read-models.sqlite"} <= names
    assert any(n.endswith("-wal") for n in names) and any("search-index/" in n for n in names)
    loose = {n: oct(m) for n, m in found.items() if m & 0o077}
    assert loose == {}


def test_files_an_older_cairn_left_readable_are_tightened_at_start(tmp_path: Path) -> None:
    settings = make_settings("sqlite", tmp_path)
    Runtime(settings).close()
    for path in [settings.data_dir, *settings.data_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    Runtime(settings).close()
    assert {n: oct(m) for n, m in modes(settings.data_dir).items() if m & 0o077} == {}


def test_keys_of_an_older_deployment_move_out_of_the_event_file(tmp_path: Path) -> None:
    settings = make_settings("sqlite", tmp_path)
    runtime = Runtime(settings)
    provider_id = apply(runtime).id
    exported = runtime.keys.export_state()
    runtime.close()
    # Put the data directory back as an older Cairn had it: the keys in events.sqlite.
    for leftover in settings.data_dir.glob("keys.sqlite*"):
        leftover.unlink()
    with sqlite3.connect(settings.events_path) as conn:
        conn.execute("CREATE TABLE personal_keys (subject TEXT PRIMARY KEY, key BLOB, created_at)")
        conn.executemany("INSERT INTO personal_keys VALUES (?, ?, '2026-01-01')", exported.keys)
    restarted = Runtime(settings)
    try:
        assert restarted.app.load(Provider, provider_id).contact_name == "Morag Keys"
        with sqlite3.connect(settings.events_path) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "personal_keys" not in tables
        events_files = {
            p: p.read_bytes() for p in settings.data_dir.glob("events.sqlite*") if p.is_file()
        }
        for _subject, key in exported.keys:
            assert holding(events_files, key) == []
    finally:
        restarted.close()


def test_a_new_persons_subject_says_nothing_about_their_email(runtime: Runtime) -> None:
    provider = apply(runtime)
    raw = b"".join(n.state for n in runtime.app.recorder.select_notifications(start=1, limit=99))
    subject = subject_for_email(EMAIL, runtime.keys)
    assert subject is not None and subject.encode() in raw
    assert legacy_subject_for_email(EMAIL).encode() not in raw  # no testable digest
    erase_person(runtime, EMAIL)
    # After erasure nothing leads from the email to the subject left in the log.
    assert subject_for_email(EMAIL, runtime.keys) is None
    assert runtime.keys.subjects_for_emails([EMAIL], create=False) == {}
    assert runtime.app.load(Provider, provider.id).contact_name == ERASED
    # Coming back later is a new person, with a new subject and key.
    again = subject_for_email(EMAIL, runtime.keys, create=True)
    assert again is not None and again != subject


def test_people_first_seen_under_the_old_digest_subject_keep_it(runtime: Runtime) -> None:
    """Events written before subjects were random name the digest; they still decrypt, new
    events about the same email use the same key, and erasure reaches it."""
    old = legacy_subject_for_email(EMAIL)
    runtime.keys.import_keys([(old, b"k" * 32)])
    provider = apply(runtime)
    assert subject_for_email(EMAIL.upper(), runtime.keys) == old
    raw = b"".join(n.state for n in runtime.app.recorder.select_notifications(start=1, limit=99))
    assert old.encode() in raw
    assert runtime.app.load(Provider, provider.id).contact_name == "Morag Keys"
    erase_person(runtime, EMAIL)
    assert runtime.app.load(Provider, provider.id).contact_name == ERASED


@pytest.mark.postgres
def test_old_keys_in_a_postgresql_schema_move_to_wrapped_tables(
    pg_schema: str, tmp_path: Path
) -> None:
    settings = make_settings("postgres", tmp_path, pg_schema)
    runtime = Runtime(settings)
    try:
        provider_id = apply(runtime).id
        state = runtime.keys.export_state()
        with runtime.read_engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE TABLE personal_keys (subject varchar(100) PRIMARY KEY, key bytea, "
                "created_at timestamptz)"
            )
            for subject, key in state.keys:
                conn.exec_driver_sql(
                    "INSERT INTO personal_keys VALUES (%s, %s, now())", (subject, key)
                )
            conn.exec_driver_sql("DELETE FROM cairn_keys")
            # A release from before the keys moved had no schema marker either, so its first
            # start under this release runs the DDL, and the move with it.
            conn.exec_driver_sql("DROP TABLE cairn_schema")
    finally:
        runtime.close()
    restarted = Runtime(settings)
    try:
        assert restarted.app.load(Provider, provider_id).contact_name == "Morag Keys"
        keys = restarted.keys
        assert isinstance(keys, SqlKeyStore) and keys.wrapped
        with restarted.read_engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT to_regclass('personal_keys')").scalar() is None
            stored = [bytes(r[0]) for r in conn.exec_driver_sql("SELECT key FROM cairn_keys")]
        for _subject, key in state.keys:
            assert all(key not in blob for blob in stored)  # wrapped, not as they were
    finally:
        restarted.close()
