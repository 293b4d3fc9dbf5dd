"""The CIC's internal notes on a provider are the provider's personal data: erasing the provider
leaves them in no read model, and their events no longer decrypt."""

from __future__ import annotations

import uuid

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.directory.desk import DeskFile, desk_file_id
from cairn.domain.personal import ERASED
from cairn.operations.data_rights import erase_person
from tests.support.readmodels import snapshot


def catch_up(runtime: Runtime) -> None:
    for runner in runtime.runners:
        runner.catch_up()


def test_erasing_a_provider_erases_the_desks_notes_about_them(runtime: Runtime) -> None:
    admin = runtime.app.accounts.register(
        f"ada-{uuid.uuid4().hex[:6]}@cic.example", "Ada", [Role.CIC_ADMIN], "correct-horse-battery"
    ).id
    provider_id = runtime.app.directory.apply(
        name="Veitch Gardens",
        contact_name="Morag Veitch",
        email="morag@veitch.example",
        postcode="KA7 1AA",
        services=["gardening"],
    ).id
    done = runtime.app.directory.add_note(
        provider_id, by=admin, text="Morag said her knee is slow to heal."
    )
    catch_up(runtime)
    assert done.position and "slow to heal" in repr(snapshot(runtime.read_engine))

    erase_person(runtime, "morag@veitch.example")
    catch_up(runtime)

    assert "slow to heal" not in repr(snapshot(runtime.read_engine))
    assert runtime.app.load(DeskFile, desk_file_id(provider_id)).notes == [(admin, ERASED)]
