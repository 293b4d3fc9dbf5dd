"""Done means: serve, stop, erase, serve, and the person is nowhere.

A real `cairn serve` (gunicorn plus the node's projection process, so both Whoosh indexes
are built by their own runners) on SQLite and on PostgreSQL. After the erasure, the
person's email, phone and name are in none of: the public profile and search HTML, the
ORUK API, the audit log page, any stored field of either Whoosh index (read with Whoosh),
and the raw bytes of every file under the data directory, WAL files included."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import load_settings
from cairn.domain.personal import subject_for_id
from cairn.domain.personal_keys import subject_for_email
from cairn.search.providers.index import INDEX_NAME
from tests.data_rights import scenario
from tests.support.readmodels import index_documents
from tests.support.stores import PG_URL
from tests.support.topology import Browserish, cairn_command, free_port, wait_until_up


def environment(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    env.update(
        CAIRN_ENV="test",
        CAIRN_SECRET_KEY="erasure-end-to-end-secret-key-0123456789",
        CAIRN_DATA_DIR=str(tmp_path / "data"),
        CAIRN_POLL_INTERVAL="0.1",
    )
    if backend == "postgres":
        env["CAIRN_DATABASE_URL"] = PG_URL
        env["CAIRN_DATABASE_SCHEMA"] = request.getfixturevalue("pg_schema")
    return env


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[Browserish]:
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            cairn_command("serve", "--port", str(port), "--workers", "1"),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url)
        yield Browserish(url)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def eventually(check: Callable[[], bool], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def traces(text: str | bytes) -> list[str]:
    if isinstance(text, bytes):
        return [m for m in scenario.MARKERS if m.encode() in text]
    return [m for m in scenario.MARKERS if m in text]


def public_pages(site: Browserish, person: scenario.Person) -> dict[str, str]:
    paths = [
        f"/providers/{person.provider}",
        "/search?q=Glen+Care",
        "/search?q=gardening",
        "/api/oruk/services",
        f"/api/oruk/services/{person.provider}",
    ]
    return {path: site.get(path)[1] for path in paths}


def audit_page(site: Browserish) -> str:
    _, page = site.get("/sign-in")
    status, _ = site.post(
        "/sign-in",
        {
            "email": "ada@cic.example",
            "password": scenario.PASSWORD,
            "csrf_token": Browserish.token(page),
        },
    )
    assert status == 200
    status, audit = site.get("/admin/audit")
    assert status == 200 and "Audit" in audit
    return audit


def data_bytes(data_dir: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in data_dir.rglob("*") if path.is_file()}


def whoosh_text(env: dict[str, str]) -> str:
    index_dir = load_settings(env).index_dir
    return repr(index_documents(index_dir / "providers", INDEX_NAME)) + repr(
        index_documents(index_dir / "learning")
    )


@pytest.fixture
def erased_site(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[dict[str, str], scenario.Person, list[bytes]]]:
    """Serve once (indexes built), stop, erase with the CLI, and hand back the environment,
    the person and their key bytes as they were before the erasure."""
    env = environment(backend, tmp_path, request)
    runtime = Runtime(load_settings(env))
    try:
        person = scenario.build(runtime.app)
        subjects = {
            subject_for_email(scenario.EMAIL, runtime.keys),
            subject_for_id(person.provider),
            subject_for_id(person.report_about),
        }
        keys = [key for subject, key in runtime.keys.export_keys() if subject in subjects]
        assert len(keys) == len(subjects)
    finally:
        runtime.close()
    log = tmp_path / "serve.log"

    with serving(env, log) as site:
        assert eventually(
            lambda: scenario.NEW_PHONE in site.get(f"/providers/{person.provider}")[1]
        )
        before = public_pages(site, person)
        assert traces(before[f"/api/oruk/services/{person.provider}"]), before
    assert traces(whoosh_text(env))  # the test can see her, so not seeing her later means something
    if backend == "sqlite":  # and it can see her keys in the files
        raw = b"".join(data_bytes(Path(env["CAIRN_DATA_DIR"])).values())
        assert all(key in raw for key in keys)

    erased = subprocess.run(
        cairn_command("erase-person", scenario.EMAIL, "--yes", "--by", "ada@cic.example"),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert erased.returncode == 0, erased.stderr
    yield env, person, keys


@pytest.mark.slow
def test_after_serve_stop_erase_serve_the_person_is_nowhere(
    erased_site: tuple[dict[str, str], scenario.Person, list[bytes]], tmp_path: Path
) -> None:
    env, person, _keys = erased_site
    with serving(env, tmp_path / "serve.log") as site:
        # The node's index runner catches up with the erasure like any other event.
        assert eventually(
            lambda: not traces(site.get(f"/api/oruk/services/{person.provider}")[1])
        ), "the ORUK API still shows her"
        pages = public_pages(site, person)
        assert "Glen Care" in pages[f"/providers/{person.provider}"]  # the business stays
        found = {path: traces(page) for path, page in pages.items() if traces(page)}
        assert not found
        audit = audit_page(site)
        assert not traces(audit)
    assert not traces(whoosh_text(env))
    leaked = {
        str(path): traces(raw) for path, raw in data_bytes(Path(env["CAIRN_DATA_DIR"])).items()
    }
    assert not {path: found for path, found in leaked.items() if found}


@pytest.mark.slow
def test_after_the_erasure_no_file_holds_the_persons_keys(
    erased_site: tuple[dict[str, str], scenario.Person, list[bytes]], tmp_path: Path
) -> None:
    """On SQLite the key store's connections use `secure_delete` (cairn.readmodels.database), so
    a shredded key's row is zeroed, and closing the CLI's connections empties the WAL. The
    'keys' part of issue 14 moves keys to a file of their own; this test holds for both."""
    env, _person, keys = erased_site
    with serving(env, tmp_path / "serve.log"):
        time.sleep(2)  # the runners catch up and the server writes what it writes
    files = data_bytes(Path(env["CAIRN_DATA_DIR"]))
    forms = [form for key in keys for form in (key, key.hex().encode())]
    holding = [str(path) for path, raw in files.items() if any(f in raw for f in forms)]
    assert holding == []
