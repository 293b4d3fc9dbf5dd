"""On PostgreSQL a shredded key cannot be recovered: not through SQL, not from the heap files.

The tests run as root on the machine that runs the server, so they can read the server's
files; where they cannot, only that part is skipped."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg import sql
from sqlalchemy import Engine

from cairn.bootstrap.runtime import Runtime
from cairn.domain.directory.provider import Provider
from cairn.domain.personal import ERASED
from cairn.domain.personal_keys import subject_for_email
from cairn.infrastructure.keystore import SqlKeyStore
from cairn.operations.data_rights import erase_person
from tests.support.stores import PG_URL, make_settings

pytestmark = pytest.mark.postgres

EMAIL = "eilidh@keys.example"
TABLES = ("cairn_keys", "cairn_keks", "cairn_email_subjects")


@pytest.fixture
def own_database(pg_schema: str) -> Iterator[str]:
    """A database of this test's own. VACUUM FULL keeps a deleted row that an older snapshot
    in the same database could still see, and the other tests running beside this one share
    the `test` database: alone in its database, the rewrite leaves nothing behind."""
    name = "cairn_keys_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield PG_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def apply(runtime: Runtime, email: str, name: str) -> Provider:
    done = runtime.app.directory.apply(
        name=f"{name} Co", contact_name=name, email=email, postcode="KA7 1AA", services=[]
    )
    runtime.sql_runner.catch_up()
    return runtime.app.load(Provider, done.id)


def rows(engine: Engine, query: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(query)]


def heap_files(engine: Engine) -> dict[str, bytes] | None:
    """The on-disk files of the key tables (and their indexes and TOAST), by relation name,
    after a CHECKPOINT; None if this process may not read the server's files."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("CHECKPOINT")
        data_dir = Path(str(conn.exec_driver_sql("SHOW data_directory").scalar()))
        paths = [
            (str(r[0]), str(r[1]))
            for r in conn.exec_driver_sql(
                "WITH t AS (SELECT oid, relname, reltoastrelid FROM pg_class "
                "WHERE relnamespace = current_schema()::regnamespace "
                "AND relname IN ('cairn_keys', 'cairn_keks', 'cairn_email_subjects')) "
                "SELECT relname, pg_relation_filepath(oid) FROM t "
                "UNION SELECT relname || ' (toast)', pg_relation_filepath(reltoastrelid) "
                "FROM t WHERE reltoastrelid <> 0 "
                "UNION SELECT indexrelid::regclass::text, pg_relation_filepath(indexrelid) "
                "FROM pg_index WHERE indrelid IN (SELECT oid FROM t)"
            )
            if r[1] and r[1] != "None"
        ]
    files: dict[str, bytes] = {}
    try:
        for name, relative in paths:
            main = data_dir / relative
            # The relation's file and its 1 GB segments (name.1, name.2, ...).
            segments = [main, *main.parent.glob(main.name + ".[0-9]*")]
            files[name] = b"".join(s.read_bytes() for s in segments if s.exists())
    except PermissionError:
        return None
    assert files, "found no files for the key tables"
    return files


def heap_bytes(engine: Engine) -> bytes | None:
    files = heap_files(engine)
    return None if files is None else b"".join(files.values())


def sessions(engine: Engine) -> list[tuple[object, ...]]:
    """Who else is in this database, and what they hold: for a failure's message."""
    return rows(
        engine,
        "SELECT pid, backend_type, state, backend_xmin, backend_xid, left(query, 60) "
        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )


def where_found(files: dict[str, bytes], secrets: dict[str, bytes]) -> list[str]:
    return [
        f"{what} in {name}" for what, v in secrets.items() for name, b in files.items() if v in b
    ]


def test_a_shredded_key_cannot_be_recovered_through_sql_or_from_the_heap_files(
    pg_schema: str, own_database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings("postgres", tmp_path, pg_schema, CAIRN_DATABASE_URL=own_database)
    runtime = Runtime(settings)
    try:
        provider = apply(runtime, EMAIL, "Eilidh Shred")
        other = apply(runtime, "other@keys.example", "Other Kept")
        keys = runtime.keys
        assert isinstance(keys, SqlKeyStore) and keys.wrapped
        subject = subject_for_email(EMAIL, keys)
        assert subject is not None
        key = keys.key_for(subject, create=False)
        assert key is not None
        ((old_kek,),) = rows(runtime.read_engine, "SELECT kek FROM cairn_keks")
        ((old_blob,),) = rows(
            runtime.read_engine, f"SELECT key FROM cairn_keys WHERE subject = '{subject}'"
        )
        old_kek, old_blob = bytes(old_kek), bytes(old_blob)  # type: ignore[arg-type]
        before = heap_bytes(runtime.read_engine)
        if before is not None:
            assert key not in before  # never stored in clear
            assert old_kek in before and old_blob in before  # the files are the right ones

        erase_person(runtime, EMAIL)

        assert runtime.app.load(Provider, provider.id).contact_name == ERASED
        assert runtime.app.load(Provider, other.id).contact_name == "Other Kept"
        # Through SQL: no row, the old KEK is gone, and no stored blob opens to the key.
        keks = [bytes(r[0]) for r in rows(runtime.read_engine, "SELECT kek FROM cairn_keks")]  # type: ignore[arg-type]
        assert old_kek not in keks
        stored = rows(runtime.read_engine, "SELECT subject, key FROM cairn_keys")
        assert subject not in {s for s, _ in stored}
        for kek in [*keks, old_kek]:
            for stored_subject, blob in stored:
                raw = bytes(blob)  # type: ignore[arg-type]
                try:
                    opened = AESGCM(kek).decrypt(raw[:12], raw[12:], str(stored_subject).encode())
                except InvalidTag:
                    continue
                assert opened != key
        assert (
            rows(
                runtime.read_engine,
                f"SELECT 1 FROM cairn_email_subjects WHERE subject = '{subject}'",
            )
            == []
        )
        # On disk: neither the key, nor its wrapped form, nor the KEK that opened it.
        after = heap_files(runtime.read_engine)
        if after is None:
            pytest.skip(f"cannot read the server's files as uid {os.getuid()}")
        secrets = {"key": key, "wrapped key": old_blob, "old KEK": old_kek}
        found = where_found(after, {**secrets, "subject": subject.encode()})
        waits = [r.getMessage() for r in caplog.records if "key shred" in r.getMessage()]
        assert not found, (found, waits, sessions(runtime.read_engine))
    finally:
        runtime.close()


def test_keys_made_while_the_kek_rotates_stay_readable(pg_schema: str, tmp_path: Path) -> None:
    """A shred in one process and new people in another: nobody's key is lost."""
    import threading

    settings = make_settings("postgres", tmp_path, pg_schema)
    first, second = Runtime(settings), Runtime(settings)
    try:
        victims = [apply(first, f"v{n}@keys.example", f"Victim {n}") for n in range(5)]
        made: list[Provider] = []

        def keep_applying() -> None:
            for n in range(15):
                done = second.app.directory.apply(
                    name=f"New {n} Co",
                    contact_name=f"New {n}",
                    email=f"new{n}@keys.example",
                    postcode="KA7 1AA",
                    services=[],
                )
                made.append(second.app.load(Provider, done.id))

        worker = threading.Thread(target=keep_applying)
        worker.start()
        for victim in victims:
            erase_person(first, victim.email)
        worker.join()
        for provider in made:
            assert first.app.load(Provider, provider.id).contact_name.startswith("New ")
        for victim in victims:
            assert first.app.load(Provider, victim.id).contact_name == ERASED
    finally:
        first.close()
        second.close()


def assert_the_shred_waits_while_held(
    tmp_path: Path, pg_schema: str, own_database: str, name: str, hold: Any
) -> None:
    """`hold(runtime)` opens what should hold the shred back and returns how to let go: the
    shred must not return while it is held, and must leave nothing behind once let go."""
    import threading

    settings = make_settings("postgres", tmp_path, pg_schema, CAIRN_DATABASE_URL=own_database)
    runtime = Runtime(settings)
    try:
        apply(runtime, EMAIL, name)
        keys = runtime.keys
        assert isinstance(keys, SqlKeyStore)
        subject = subject_for_email(EMAIL, keys)
        assert subject is not None
        release = hold(runtime)
        shredded = threading.Event()

        def shred() -> None:
            keys.shred(subject)
            shredded.set()

        worker = threading.Thread(target=shred)
        worker.start()
        held = shredded.wait(1.0)
        release()
        worker.join(30)
        assert not held, "the shred returned while what could still see the key was open"
        assert shredded.is_set()
        after = heap_bytes(runtime.read_engine)
        if after is None:
            pytest.skip(f"cannot read the server's files as uid {os.getuid()}")
        assert subject.encode() not in after
    finally:
        runtime.close()


def test_a_shred_waits_for_a_session_that_could_still_see_the_key(
    pg_schema: str, own_database: str, tmp_path: Path
) -> None:
    """A reader whose snapshot began before the shred holds the dead rows in place: the shred
    waits for it to end, then rewrites the tables, so nothing is left once it returns."""

    def hold(runtime: Runtime) -> Any:
        reader = runtime.read_engine.connect().execution_options(isolation_level="REPEATABLE READ")
        reader.exec_driver_sql("SELECT count(*) FROM cairn_keys").scalar()  # takes the snapshot
        return lambda: (reader.rollback(), reader.close())

    assert_the_shred_waits_while_held(tmp_path, pg_schema, own_database, "Eilidh Waits", hold)


def test_a_shred_waits_for_a_write_still_running_in_another_database(
    pg_schema: str, own_database: str, tmp_path: Path
) -> None:
    """VACUUM FULL's own snapshot starts at the oldest transaction running anywhere in the
    cluster, so a write in another database that began before the shred would keep the dead
    rows: the shred waits for it too."""

    def hold(runtime: Runtime) -> Any:
        elsewhere = psycopg.connect(PG_URL)  # the shared `test` database
        elsewhere.execute("SELECT pg_current_xact_id()")  # a write's transaction id, held
        return lambda: (elsewhere.rollback(), elsewhere.close())

    assert_the_shred_waits_while_held(tmp_path, pg_schema, own_database, "Eilidh Elsewhere", hold)
