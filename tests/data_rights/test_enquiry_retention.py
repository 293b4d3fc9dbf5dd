"""Enquiries are deleted after their retention period: gone from the read models, their
personal fields erased in the log (their key is shredded), and rebuilds stay clean."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID

from sqlalchemy import select

from cairn.bootstrap.runtime import Runtime
from cairn.domain.enquiries.enquiry import Enquiry
from cairn.domain.personal import ERASED, subject_for_id
from cairn.jobs.enquiry_retention import purge_expired_enquiries
from cairn.operations.data_rights import export_person, rebuild_read_models
from cairn.readmodels.enquiries.enquiries import enquiries
from tests.support.cli import cairn
from tests.support.directory import listed_provider
from tests.support.readmodels import rebuild_until, scratch_engine, snapshot


def purge(runtime: Runtime, now: datetime | None = None) -> list[UUID]:
    """The retention job as the runtime's jobs loop runs it."""
    days = runtime.settings.enquiry_retention_days
    return purge_expired_enquiries(runtime.app, runtime.read_engine, runtime.keys, days, now=now)


def send(runtime: Runtime, provider_id: object, name: str, contact: str) -> object:
    return runtime.app.enquiries.send(
        provider_id,  # type: ignore[arg-type]
        name=name,
        contact=contact,
        message=f"{name} needs help with shopping on Tuesdays.",
        consent=True,
    ).id


def rows(runtime: Runtime) -> dict[object, str]:
    with runtime.read_engine.connect() as conn:
        return {r.id: r.name for r in conn.execute(select(enquiries))}


def test_an_enquiry_past_its_retention_is_gone_erased_and_rebuilds_stay_clean(
    runtime: Runtime, tmp_path: Path
) -> None:
    provider = listed_provider(runtime, name="Heathfield Home Help", postcode="KA7 3PQ")
    old = send(runtime, provider, "Nan Old", "nan@enquirer.example")
    runtime.sql_runner.catch_up()
    assert runtime.settings.enquiry_retention_days == 365
    assert runtime.app.load(Enquiry, old).name == "Nan Old"  # type: ignore[arg-type]

    # Not yet due: nothing happens.
    assert purge(runtime) == []
    # A year and a day later the old one is due; one sent "then" is not.
    later = runtime.app.clock() + timedelta(days=366)
    recent = send(runtime, provider, "Ros Recent", "ros@enquirer.example")
    runtime.sql_runner.catch_up()
    with runtime.read_engine.begin() as conn:  # as if it had arrived a year later
        conn.execute(enquiries.update().where(enquiries.c.id == recent).values(received_at=later))
    assert purge(runtime, now=later) == [old]
    assert purge(runtime, now=later) == []  # twice is harmless
    runtime.sql_runner.catch_up()

    assert old not in rows(runtime) and recent in rows(runtime)
    erased = runtime.app.load(Enquiry, old)  # type: ignore[arg-type]
    assert (erased.name, erased.contact, erased.message) == (ERASED, ERASED, ERASED)
    assert erased.purged
    assert runtime.keys.key_for(subject_for_id(old), create=False) is None  # type: ignore[arg-type]
    # Only that enquiry's key went: the other enquirer's details still read back.
    assert runtime.app.load(Enquiry, recent).name == "Ros Recent"  # type: ignore[arg-type]
    assert not export_person(runtime, "nan@enquirer.example")["events"]  # nothing left to give
    assert export_person(runtime, "ros@enquirer.example")["events"]

    head = runtime.app.head()
    with scratch_engine(runtime, tmp_path) as clean:
        rebuilt = rebuild_until(runtime, clean, head)
    assert "Nan Old" not in repr(rebuilt) and ERASED not in repr(rebuilt["enquiries"])
    assert "Ros Recent" in repr(rebuilt["enquiries"])
    rebuild_read_models(runtime)
    assert "Nan Old" not in repr(snapshot(runtime.read_engine))


def test_the_purge_command_uses_the_configured_retention(tmp_path: Path) -> None:
    env = {
        "CAIRN_ENV": "development",
        "CAIRN_DATA_DIR": str(tmp_path / "data"),
        "CAIRN_ENQUIRY_RETENTION_DAYS": "30",
    }
    result = cairn("enquiries", "purge", env=env)
    assert result.returncode == 0, result.stderr
    assert "Deleted 0 enquiries received more than 30 days ago." in result.stdout
    bad = cairn("enquiries", "purge", env={**env, "CAIRN_ENQUIRY_RETENTION_DAYS": "soon"})
    assert bad.returncode != 0
    assert "CAIRN_ENQUIRY_RETENTION_DAYS" in bad.stderr


def test_a_purge_takes_the_providers_replies_with_the_enquiry(runtime: Runtime) -> None:
    from cairn.domain.accounts.roles import Role
    from tests.support.web import make_account

    owner = make_account(runtime, "morag@provider.example", Role.PROVIDER, name="Morag")
    provider = listed_provider(runtime, email="morag@provider.example", account_id=owner)
    enquiry = runtime.app.enquiries.send(
        provider,
        name="Nan Old",
        contact="",
        message="Help with shopping, please.",
        consent=True,
        reply_email="nan@enquirer.example",
    ).id
    reply = "Yes: Tuesday at ten, Nan."
    runtime.app.enquiries.reply(enquiry, by_account=owner, text=reply)
    runtime.sql_runner.catch_up()
    with runtime.read_engine.connect() as conn:
        [row] = conn.execute(select(enquiries.c.replies).where(enquiries.c.id == enquiry))
    assert row.replies[0]["text"] == reply

    assert purge(runtime, now=runtime.app.clock() + timedelta(days=366)) == [enquiry]
    runtime.sql_runner.catch_up()
    assert enquiry not in rows(runtime)
    replied = [
        e for e in runtime.app.repository.event_store.get(enquiry) if type(e).__name__ == "Replied"
    ]
    assert [e.text for e in replied] == [ERASED]
    assert runtime.app.load(Enquiry, enquiry).reply_email == ERASED
