"""Events stored before the code moved into `cairn/` still load: their old topics resolve."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from eventsourcing.utils import resolve_topic

from cairn.domain.accounts.account import Account
from cairn.domain.app import CairnApp
from cairn.domain.directory.provider import Provider
from cairn.domain.learning.reflection import Reflection


def test_old_topics_name_the_same_classes() -> None:
    assert resolve_topic("domain.directory.provider:Provider.Applied") is Provider.Applied
    assert resolve_topic("domain.accounts.account:Account") is Account
    assert resolve_topic("domain.learning.reflection:Reflection") is Reflection


def test_an_account_stored_under_its_old_topics_loads(tmp_path: Path) -> None:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "e.db")}
    first = CairnApp(env=env)
    done = first.accounts.register("ada@cic.example", "Ada", [], "a long password!")
    with sqlite3.connect(tmp_path / "e.db") as db:
        moved = db.execute(
            "UPDATE stored_events SET topic = substr(topic, length('cairn.') + 1)"
            " WHERE topic LIKE 'cairn.domain.%'"
        ).rowcount
    assert moved > 0
    account = CairnApp(env=env, keys=first.keys).load(Account, done.id)
    assert account.display_name == "Ada"
