"""Personal data is encrypted per person; erasing a person destroys their key."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.account import Account
from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.directory.lifecycle import Status
from cairn.domain.directory.provider import Provider
from cairn.domain.personal import ERASED, subject_for_id
from cairn.domain.personal_keys import MemoryKeyStore, subject_for_email
from cairn.operations.data_rights import erase_person, export_person, rebuild_read_models
from cairn.readmodels.accounts.queries import account_by_email
from cairn.readmodels.directory.queries import provider_by_id
from tests.support.cli import cairn
from tests.support.providers import approve_with_checks
from tests.support.readmodels import snapshot

PASSWORD = "a long enough password"


def apply(runtime: Runtime, name: str, contact: str, email: str) -> UUID:
    return runtime.app.directory.apply(
        name=name, contact_name=contact, email=email, postcode="KA7 1AA", services=["gardening"]
    ).id


def raw_log(runtime: Runtime) -> bytes:
    return b"".join(
        n.state for n in runtime.app.recorder.select_notifications(start=1, limit=10_000)
    )


@pytest.fixture
def people(runtime: Runtime) -> dict[str, UUID]:
    admin = runtime.app.accounts.register(
        "ada@cic.example", "Ada Admin", [Role.CIC_ADMIN], PASSWORD
    )
    isla = runtime.app.accounts.register(
        "isla@carrick.example", "Isla Ross", [Role.PROVIDER], PASSWORD
    )
    mine = apply(runtime, "Carrick Care", "Isla Ross", "isla@carrick.example")
    other = apply(runtime, "Troon Helpers", "Tam Brown", "tam@troon.example")
    approve_with_checks(runtime.app, mine, by=admin.id)
    runtime.sql_runner.catch_up()
    return {"admin": admin.id, "isla": isla.id, "mine": mine, "other": other}


def test_personal_fields_are_not_in_the_log_in_clear_but_read_back(
    runtime: Runtime, people: dict[str, UUID]
) -> None:
    raw = raw_log(runtime)
    for secret in (b"isla@carrick.example", b"Isla Ross", b"tam@troon.example", b"Ada Admin"):
        assert secret not in raw
    assert b"Carrick Care" in raw  # a business name is not personal data
    assert runtime.app.load(Provider, people["mine"]).email == "isla@carrick.example"
    row = provider_by_id(runtime.read_engine, people["mine"])
    assert row is not None and row.contact_name == "Isla Ross"


def test_erasing_a_person_keeps_the_log_and_rebuilds_read_models_without_them(
    runtime: Runtime, people: dict[str, UUID]
) -> None:
    head = runtime.app.head()
    erasure = erase_person(runtime, "ISLA@carrick.example ")
    # The account, the email claim, the application, and the PVG and insurance checks (their
    # membership and policy numbers are personal, under the provider's key).
    assert erasure.had_key and erasure.events_affected == 5
    runtime.sql_runner.catch_up()  # the read models rewrite themselves on the erasure event

    assert runtime.app.head() == head + 1  # the log is intact, plus the erasure's own event
    provider = runtime.app.load(Provider, people["mine"])
    assert provider.email == ERASED and provider.contact_name == ERASED
    assert provider.status == Status.APPROVED and provider.name == "Carrick Care"
    assert runtime.app.load(Account, people["isla"]).display_name == ERASED

    row = provider_by_id(runtime.read_engine, people["mine"])
    assert row is not None and row.email == ERASED and row.contact_name == ERASED
    assert account_by_email(runtime.read_engine, "isla@carrick.example") is None
    everything = repr(snapshot(runtime.read_engine))
    assert "isla@carrick.example" not in everything and "Isla Ross" not in everything
    # Other people are untouched.
    other = provider_by_id(runtime.read_engine, people["other"])
    assert other is not None and other.email == "tam@troon.example"
    assert "tam@troon.example" in everything

    # A rebuild is stable, and a second erasure finds nothing to do.
    before = snapshot(runtime.read_engine)
    rebuild_read_models(runtime)
    assert snapshot(runtime.read_engine) == before
    assert not erase_person(runtime, "isla@carrick.example").had_key


def test_two_erased_accounts_do_not_collide_in_the_read_model(runtime: Runtime) -> None:
    for email in ("one@cairn.example", "two@cairn.example"):
        runtime.app.accounts.register(email, "Someone", [Role.PROVIDER], PASSWORD)
        erase_person(runtime, email)
    runtime.sql_runner.catch_up()
    assert runtime.sql_sink.position() == runtime.app.head()


def test_subject_access_export_holds_everything_about_the_person(
    runtime: Runtime, people: dict[str, UUID]
) -> None:
    approve_with_checks(runtime.app, people["other"], by=people["admin"])
    exported = export_person(runtime, "isla@carrick.example")
    kinds = [(e["record"], e["event"]) for e in exported["events"]]
    assert ("Account", "Registered") in kinds and ("Provider", "Applied") in kinds
    assert ("Provider", "Approved") in kinds  # the decision on her application
    assert exported["holds_key"] is True
    text = json.dumps(exported)
    assert "Isla Ross" in text and "Tam Brown" not in text and "tam@troon.example" not in text

    admin = export_person(runtime, "ada@cic.example")
    done_by_ada = [e for e in admin["events"] if e["event"] == "Approved"]
    assert len(done_by_ada) == 2  # what she did is hers too

    erase_person(runtime, "isla@carrick.example")
    after = export_person(runtime, "isla@carrick.example")
    assert after["holds_key"] is False
    assert "Isla Ross" not in json.dumps(after)


def test_an_enquiry_style_record_can_be_shredded_by_its_own_id() -> None:
    """Contexts that key personal data by a record id (e.g. enquiries) shred per record."""
    keys = MemoryKeyStore()
    app = CairnApp(keys=keys)
    pid = app.directory.apply(
        name="Any Co", contact_name="Pat", email="pat@x.example", postcode="KA7 1AA", services=[]
    ).id
    assert keys.shred(subject_for_email("pat@x.example", keys) or "")
    assert app.load(Provider, pid).contact_name == ERASED
    assert keys.shred(subject_for_id(pid)) is False  # no such key: nothing happens


def test_the_cli_exports_and_erases_a_person(tmp_path: Path) -> None:
    env = {"CAIRN_ENV": "development", "CAIRN_DATA_DIR": str(tmp_path / "data")}
    assert cairn("demo-data", env=env).returncode == 0
    exported = cairn("export-person", "admin@cairn.example", env=env)
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["events"]
    refused = cairn("erase-person", "admin@cairn.example", env=env, stdin="n\n")
    assert refused.returncode != 0
    erased = cairn("erase-person", "admin@cairn.example", "--yes", env=env)
    assert erased.returncode == 0, erased.stderr
    assert "Erased admin@cairn.example" in erased.stdout
    after = json.loads(cairn("export-person", "admin@cairn.example", env=env).stdout)
    assert after["holds_key"] is False
    again = cairn("erase-person", "admin@cairn.example", "--yes", env=env)
    assert "nothing to erase" in again.stdout
