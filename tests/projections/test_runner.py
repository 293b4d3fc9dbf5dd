"""The projection runner: batches applied exactly once, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.directory.provider import Provider
from cairn.eventlog.log import LogReader
from cairn.eventlog.runner import Runner
from cairn.readmodels.catalogue import sql_projections
from cairn.readmodels.directory.providers import providers
from cairn.readmodels.sql_sink import SqlSink
from tests.support.providers import approve_with_checks


def apply_many(runtime: Runtime, count: int) -> None:
    for n in range(count):
        runtime.app.directory.apply(
            name=f"Provider {n:03d}",
            contact_name="Pat",
            email=f"p{n}@cairn.example",
            postcode="KA7 1AA",
            services=["gardening"],
        )


def provider_rows(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(providers).order_by(providers.c.name))]


def count_providers(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(providers)).scalar_one())


def test_catch_up_applies_every_event_and_advances_each_position(runtime: Runtime) -> None:
    apply_many(runtime, 12)
    head = runtime.app.head()  # each application is more than one event (its email claim)
    runtime.sql_runner.batch_size = 5
    assert runtime.sql_runner.catch_up() == head
    assert count_providers(runtime.read_engine) == 12
    assert set(runtime.sql_sink.positions().values()) == {head}  # every projection
    assert runtime.sql_runner.catch_up() == 0


class Explodes(Exception):
    pass


def test_a_crash_inside_a_batch_leaves_neither_rows_nor_position_then_applies_once(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_many(runtime, 6)
    projection = next(p for p in runtime.sql_sink.projections if p.name == "providers")
    original = type(projection).applied
    seen = 0

    def flaky(self: Any, conn: Any, e: Any, position: int) -> None:
        nonlocal seen
        seen += 1
        if seen == 4:  # part way through the batch, after three rows were written
            raise Explodes("power cut")
        original(self, conn, e, position)

    monkeypatch.setattr(type(projection), "applied", flaky)
    with pytest.raises(Explodes):
        runtime.sql_runner.run_once()
    assert count_providers(runtime.read_engine) == 0
    assert set(runtime.sql_sink.positions().values()) == {0}

    runtime.sql_runner.catch_up()  # the fourth call now succeeds; the rest follow
    assert count_providers(runtime.read_engine) == 6
    assert runtime.sql_sink.position() == runtime.app.head()


def test_rebuild_produces_the_same_read_models_as_live_processing(runtime: Runtime) -> None:
    admin = runtime.app.accounts.register(
        "a@cic.example", "A", [Role.CIC_ADMIN], "a long enough password"
    )
    apply_many(runtime, 5)
    runtime.sql_runner.catch_up()
    with runtime.read_engine.connect() as conn:
        first = conn.execute(select(providers.c.id)).scalars().first()
    approve_with_checks(runtime.app, first, by=admin.id)
    runtime.sql_runner.catch_up()
    live = provider_rows(runtime.read_engine)

    runtime.sql_sink.drop_and_recreate()
    assert count_providers(runtime.read_engine) == 0
    runtime.sql_runner.catch_up()
    assert provider_rows(runtime.read_engine) == live


def test_two_runners_on_one_database_apply_each_event_exactly_once(runtime: Runtime) -> None:
    apply_many(runtime, 40)
    other = Runner(
        LogReader(runtime.app),
        SqlSink(runtime.read_engine, sql_projections(runtime.app)),
        batch_size=3,
    )
    runtime.sql_runner.batch_size = 4
    threads = [threading.Thread(target=r.catch_up) for r in (runtime.sql_runner, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    runtime.sql_runner.catch_up()
    assert count_providers(runtime.read_engine) == 40  # a duplicate insert would have failed
    assert runtime.sql_sink.position() == runtime.app.head()


def test_a_background_runner_follows_new_events_and_wait_for_sees_them(runtime: Runtime) -> None:
    runtime.start()
    done = runtime.app.directory.apply(
        name="Late Co",
        contact_name="Pat",
        email="late@cairn.example",
        postcode="KA7 1AA",
        services=["gardening"],
    )
    assert runtime.wait_for(done.position, timeout=10)
    assert count_providers(runtime.read_engine) == 1


def test_wait_for_gives_up_after_its_timeout_when_nothing_runs(runtime: Runtime) -> None:
    started = time.monotonic()
    assert not runtime.wait_for(99, timeout=0.2)
    assert time.monotonic() - started < 2


@pytest.mark.postgres
def test_postgres_runner_picks_up_events_with_no_notify_at_all(
    pg_schema: str, tmp_path: Any
) -> None:
    from tests.support.stores import make_settings

    runtime = Runtime(make_settings("postgres", tmp_path, pg_schema, CAIRN_POLL_INTERVAL="0.1"))
    try:
        for runner in runtime.runners:  # no LISTEN thread: only the timed poll finds events
            runner.start()
        assert runtime.listener is None
        done = runtime.app.directory.apply(
            name="Quiet Co",
            contact_name="Pat",
            email="quiet@cairn.example",
            postcode="KA7 1AA",
            services=["gardening"],
        )
        assert runtime.sql_runner.wait_for(done.position, timeout=10)
        assert isinstance(runtime.app.load(Provider, done.id), Provider)
        assert count_providers(runtime.read_engine) == 1
    finally:
        runtime.close()


@pytest.mark.postgres
def test_postgres_notify_wakes_the_runner_well_before_a_long_poll(
    pg_schema: str, tmp_path: Any
) -> None:
    from tests.support.stores import make_settings

    runtime = Runtime(make_settings("postgres", tmp_path, pg_schema, CAIRN_POLL_INTERVAL="30"))
    try:
        runtime.start()
        time.sleep(0.5)  # let the listener subscribe and the runner settle into its long wait
        done = runtime.app.directory.apply(
            name="Loud Co",
            contact_name="Pat",
            email="loud@cairn.example",
            postcode="KA7 1AA",
            services=["gardening"],
        )
        started = time.monotonic()
        deadline = started + 10
        while runtime.sql_sink.position() < done.position and time.monotonic() < deadline:
            time.sleep(0.02)
        assert runtime.sql_sink.position() >= done.position
        assert time.monotonic() - started < 10
    finally:
        runtime.close()
