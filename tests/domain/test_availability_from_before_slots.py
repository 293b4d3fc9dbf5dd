"""Events stored before availability became slots held days and times apart: they read as
every listed day at every listed time, in the aggregate and for every reader of the log."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from cairn.domain.app import CairnApp
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import Invalid


def _as_version_1(tmp_path: Path, rewrite: dict[str, Any]) -> int:
    """Rewrite the stored events whose topics end as given, as release 1 wrote them."""
    changed = 0
    with sqlite3.connect(tmp_path / "e.db") as db:
        rows = db.execute("SELECT rowid, topic, state FROM stored_events").fetchall()
        for rowid, topic, state in rows:
            suffix = topic.rsplit(".", 1)[-1]
            if suffix not in rewrite:
                continue
            data = json.loads(state)
            assert data.pop("class_version") == 2
            rewrite[suffix](data)
            db.execute(
                "UPDATE stored_events SET state = ? WHERE rowid = ?",
                (json.dumps(data).encode(), rowid),
            )
            changed += 1
    return changed


def test_old_days_and_times_load_as_slots_in_the_aggregate_and_the_log(tmp_path: Path) -> None:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "e.db")}
    first = CairnApp(env=env)
    provider_id = first.directory.apply(
        name="Carrick Care",
        contact_name="Isla",
        email="isla@carrick.example",
        postcode="KA7 1AA",
        services=["companionship"],
        availability=["mon-morning"],
    ).id
    first.directory.update_application(
        provider_id, by=uuid4(), changes={"availability": ["sat-evening"]}
    )

    def applied(state: dict[str, Any]) -> None:
        state["availability"] = ["tue", "thu", "morning"]

    def updated(state: dict[str, Any]) -> None:
        state["changes"]["availability"] = ["sat", "sun", "evening"]
        state["before"]["availability"] = ["tue", "thu", "morning"]

    assert _as_version_1(tmp_path, {"Applied": applied, "ApplicationUpdated": updated}) == 2

    again = CairnApp(env=env, keys=first.keys)
    assert again.load(Provider, provider_id).availability == ("sat-evening", "sun-evening")
    created, update = list(again.repository.event_store.get(provider_id))[:2]
    assert list(created.availability) == ["tue-morning", "thu-morning"]
    assert update.changes["availability"] == ["sat-evening", "sun-evening"]
    assert update.before["availability"] == ["tue-morning", "thu-morning"]


def test_a_command_refuses_days_and_times_apart() -> None:
    app = CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    with pytest.raises(Invalid, match="not a day-and-time slot"):
        app.directory.apply(
            name="Carrick Care",
            contact_name="Isla",
            email="isla@carrick.example",
            postcode="KA7 1AA",
            services=["companionship"],
            availability=["mon", "morning"],
        )
