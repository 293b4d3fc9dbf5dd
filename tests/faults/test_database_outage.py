"""The database goes away and comes back.

Commands fail with one clear message and save nothing; when the database returns,
commands work again and the runner catches up without anyone restarting it."""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from flask.testing import FlaskClient
from psycopg import sql
from sqlalchemy.engine import make_url

from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import Settings
from cairn.domain.accounts.account import EmailIndex
from cairn.domain.accounts.roles import Role
from cairn.readmodels.accounts.queries import account_by_email
from cairn.web import create_app
from cairn.web.unavailable import UNAVAILABLE_ERRORS
from tests.support.stores import PG_URL, make_settings, require_postgres

UNAVAILABLE = (
    "Cairn cannot reach its database just now. Nothing was saved. Please try again in a minute."
)

APPLICATION = {
    "name": "Outage Care",
    "contact_name": "Pat",
    "email": "outage@cairn.example",
    "postcode": "KA7 1AA",
    "password": "correct-horse-battery",
    "confirm": "correct-horse-battery",
}


@pytest.fixture
def quick_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give up on a missing database in about a second rather than the production wait."""
    original: Callable[[Settings], dict[str, str]] = Settings.event_store_env

    def quicker(self: Settings) -> dict[str, str]:
        env = original(self)
        env.update(SQLITE_LOCK_TIMEOUT="1", POSTGRES_CONNECT_TIMEOUT="1")
        return env

    monkeypatch.setattr(Settings, "event_store_env", quicker)


def form(client: FlaskClient) -> dict[str, object]:
    html = client.get("/apply").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert token
    return {**APPLICATION, "csrf_token": token.group(1)}


def check_outage_and_recovery(runtime: Runtime, outage: Callable[[], object]) -> None:
    app = create_app(runtime.settings, runtime, start_projections=True, testing=True)
    if runtime.jobs is not None:
        # The first sweep would record the week's digest in the middle of the outage's count.
        runtime.jobs.stop()
    client = app.test_client()
    data = form(client)
    before = runtime.app.head()

    with outage():  # type: ignore[operator]
        response = client.post("/apply", data=data)
        assert response.status_code == 503
        assert UNAVAILABLE in response.get_data(as_text=True)
        assert response.headers["Retry-After"] == "60"
        # A command that writes two aggregates together fails whole.
        with pytest.raises(UNAVAILABLE_ERRORS):
            runtime.app.accounts.register(
                "two@cairn.example", "Two", [Role.PROVIDER], "a long enough password"
            )

    assert runtime.app.head() == before  # nothing half-written
    assert not runtime.app.exists(EmailIndex.create_id("two@cairn.example"))
    assert not runtime.app.exists(EmailIndex.create_id(APPLICATION["email"]))

    response = client.post("/apply", data=form(client))
    assert response.status_code == 302, response.get_data(as_text=True)
    # The runner was never restarted: it resumed by itself and shows the new applicant.
    assert runtime.wait_for(runtime.app.head(), timeout=60)
    assert runtime.app.exists(EmailIndex.create_id(APPLICATION["email"]))
    assert account_by_email(runtime.read_engine, APPLICATION["email"]) is not None
    done = runtime.app.accounts.register(
        "two@cairn.example", "Two", [Role.PROVIDER], "a long enough password"
    )
    assert runtime.wait_for(done.position, timeout=60)


def test_sqlite_locked_by_another_process(
    quick_timeouts: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = Runtime(make_settings("sqlite", tmp_path))

    @contextmanager
    def locked() -> Iterator[None]:
        holders = []
        for path in (runtime.settings.events_path, runtime.settings.read_models_path):
            conn = sqlite3.connect(path, isolation_level=None, timeout=5)
            conn.execute("BEGIN EXCLUSIVE")
            holders.append(conn)
        try:
            yield
        finally:
            for conn in holders:
                conn.rollback()
                conn.close()

    try:
        check_outage_and_recovery(runtime, locked)
    finally:
        runtime.close()


@pytest.mark.postgres
def test_postgres_refuses_connections_then_comes_back(quick_timeouts: None, tmp_path: Path) -> None:
    """A database of the test's own, so that shutting it out touches no one else's tests."""
    require_postgres()
    name = "cairn_outage_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    runtime = Runtime(make_settings("postgres", tmp_path, "cairn", CAIRN_DATABASE_URL=url))

    def allow(conn: psycopg.Connection[object], yes: bool) -> None:
        conn.execute(
            sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS {}").format(
                sql.Identifier(name), sql.SQL("true" if yes else "false")
            )
        )

    @contextmanager
    def shut_out() -> Iterator[None]:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            allow(admin, False)
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            try:
                yield
            finally:
                allow(admin, True)

    try:
        check_outage_and_recovery(runtime, shut_out)
    finally:
        runtime.close()
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
