"""`cairn projections rebuild` on a live system: the new tables fill beside the live ones and
are switched in one transaction, so readers never meet a missing, empty or partial table."""

from __future__ import annotations

import io
import threading
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from cairn.bootstrap.runtime import Runtime
from cairn.domain.directory.importer import import_providers
from cairn.operations.data_rights import rebuild_read_models
from cairn.readmodels.accounts.accounts import accounts
from cairn.readmodels.database import make_engine
from cairn.readmodels.directory.providers import providers
from cairn.readmodels.tracking import read_positions
from tests.support.readmodels import rebuild_until, scratch_engine, snapshot
from tests.support.stores import SAMPLES


def fill(runtime: Runtime) -> None:
    sample = (SAMPLES / "providers-sample.csv").read_text(encoding="utf-8")
    plan = import_providers(runtime.app, io.StringIO(sample), today=date(2026, 11, 23))
    assert plan.ok and plan.added == 24
    runtime.sql_runner.catch_up()


def test_readers_see_whole_tables_all_through_a_rebuild(runtime: Runtime) -> None:
    fill(runtime)
    settings = runtime.settings
    reader = make_engine(settings.read_models_url(), schema=settings.database_schema)
    with reader.connect() as conn:
        expected = (
            conn.execute(select(func.count()).select_from(providers)).scalar_one(),
            conn.execute(select(func.count()).select_from(accounts)).scalar_one(),
        )
    assert expected[0] == 24
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def keep_reading() -> None:
        while not stop.is_set():
            try:
                with reader.connect() as conn:
                    seen.append(
                        (
                            conn.execute(select(func.count()).select_from(providers)).scalar_one(),
                            conn.execute(select(func.count()).select_from(accounts)).scalar_one(),
                        )
                    )
            except Exception as error:  # a missing table, a locked database…
                errors.append(error)

    reading = threading.Thread(target=keep_reading)
    reading.start()
    try:
        for _ in range(3):  # each rebuild's switch is a moment a reader may meet
            rebuild_read_models(runtime)
    finally:
        stop.set()
        reading.join(30)
        reader.dispose()
    assert errors == []
    assert len(seen) > 3
    assert set(seen) == {expected}


def test_a_rebuild_gives_what_a_clean_rebuild_gives_and_keeps_following_the_log(
    runtime: Runtime, tmp_path: Path
) -> None:
    fill(runtime)
    with runtime.read_engine.connect() as conn:
        outbox_before = read_positions(conn)["mail-outbox"]
    rebuild_read_models(runtime)
    head = runtime.app.head()
    with scratch_engine(runtime, tmp_path) as clean:
        assert snapshot(runtime.read_engine) == rebuild_until(runtime, clean, head)
    with runtime.read_engine.connect() as conn:
        positions = read_positions(conn)
    assert set(positions.values()) == {head}
    assert outbox_before == head  # the outbox was current, and was not sent back to 0

    # The live runner carries on, on the switched-in tables.
    done = runtime.app.directory.apply(
        name="After the rebuild",
        contact_name="A",
        email="after@example.org",
        postcode="KA7 1AA",
        services=["gardening"],
    )
    runtime.sql_runner.catch_up()
    assert runtime.sql_sink.position() == done.position
    with scratch_engine(runtime, tmp_path) as clean:
        assert snapshot(runtime.read_engine) == rebuild_until(runtime, clean, done.position)
