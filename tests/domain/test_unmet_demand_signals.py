"""Unmet-demand signals keep only codes: a district the geo data knows, service keys (ticked,
or meant by the words), days and times. Signals stored before the words were kept still read."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from cairn.domain.app import CairnApp
from cairn.domain.enquiries.demand import UnmetDemandSignal
from cairn.domain.errors import DomainError


def memory_app() -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def test_only_known_service_keys_are_kept_from_the_words() -> None:
    app = memory_app()
    words = ["domestic-help", "my mum", "gardening"]
    done = app.enquiries.record_unmet_demand(
        district="ka9", services=["gardening"], word_services=words
    )
    signal = app.load(UnmetDemandSignal, done.id)
    assert (signal.district, signal.services) == ("KA9", ("gardening",))
    assert signal.word_services == ("domestic-help", "gardening")


@pytest.mark.parametrize("district", ["KA99", "ZZ9", "KA1 9"])
def test_a_district_the_geo_data_does_not_know_is_refused(district: str) -> None:
    with pytest.raises(DomainError):
        memory_app().enquiries.record_unmet_demand(district=district)


def test_the_installed_geo_data_decides_which_districts_are_known() -> None:
    app = memory_app()
    with pytest.raises(DomainError, match="KA7"):
        app.enquiries.record_unmet_demand(district="KA7", known_districts={"KA8"})
    assert app.enquiries.record_unmet_demand(district="KA8", known_districts={"KA8"}).id


def test_a_signal_stored_before_the_words_were_kept_reads_with_none(tmp_path: Path) -> None:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "e.db")}
    first = CairnApp(env=env)
    signal_id = first.enquiries.record_unmet_demand(district="KA9", services=["gardening"]).id
    with sqlite3.connect(tmp_path / "e.db") as db:
        rowid, state = db.execute(
            "SELECT rowid, state FROM stored_events WHERE topic LIKE '%Recorded'"
        ).fetchone()
        old = json.loads(state)
        del old["word_services"]
        update = "UPDATE stored_events SET state = ? WHERE rowid = ?"
        db.execute(update, (json.dumps(old).encode(), rowid))

    again = CairnApp(env=env, keys=first.keys)
    (recorded,) = list(again.repository.event_store.get(signal_id))
    assert isinstance(recorded, UnmetDemandSignal.Recorded)
    assert list(recorded.services) == ["gardening"] and tuple(recorded.word_services) == ()
    assert again.load(UnmetDemandSignal, signal_id).word_services == ()
