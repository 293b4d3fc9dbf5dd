"""The CIC desk's own file on a provider: who has taken it, and notes among administrators.
None of it touches the provider, so a decision form open elsewhere never goes stale."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.directory.desk import DeskFile, desk_file_id
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import DomainError, InvalidTransition, NotFound
from cairn.domain.personal import ERASED, subject_for_id
from cairn.domain.personal_keys import MemoryKeyStore


@pytest.fixture
def app() -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def an_admin(app: CairnApp, email: str = "ada@cic.example") -> UUID:
    return app.accounts.register(email, "Ada", [Role.CIC_ADMIN], "correct-horse-1").id


def applied(app: CairnApp) -> UUID:
    return app.directory.apply(
        name="Carrick Care",
        contact_name="Isla",
        email="isla@carrick.example",
        postcode="KA7 1AA",
        services=["personal-care"],
    ).id


def test_an_administrator_takes_an_item_and_gives_it_back(app: CairnApp) -> None:
    ada, provider_id = an_admin(app), applied(app)
    version = app.load(Provider, provider_id).version

    app.directory.assign(provider_id, by=ada, assignee=ada)
    assert app.load(DeskFile, desk_file_id(provider_id)).assignee == ada
    with pytest.raises(InvalidTransition, match="already assigned"):
        app.directory.assign(provider_id, by=ada, assignee=ada)

    app.directory.unassign(provider_id, by=ada)
    assert app.load(DeskFile, desk_file_id(provider_id)).assignee is None
    with pytest.raises(InvalidTransition, match="Nobody is assigned"):
        app.directory.unassign(provider_id, by=ada)
    # The provider itself never moved: a decision made meanwhile is not stale.
    assert app.load(Provider, provider_id).version == version


def test_only_an_administrator_can_be_assigned(app: CairnApp) -> None:
    ada, provider_id = an_admin(app), applied(app)
    applicant = app.accounts.register(
        "pat@example.com", "Pat", [Role.PROVIDER], "a-much-longer-pass-9"
    ).id
    with pytest.raises(DomainError, match="Only an administrator"):
        app.directory.assign(provider_id, by=ada, assignee=applicant)
    with pytest.raises(DomainError, match="Only an administrator"):
        app.directory.assign(provider_id, by=ada, assignee=uuid4())
    with pytest.raises(NotFound):
        app.directory.assign(uuid4(), by=ada, assignee=ada)


def test_notes_are_kept_in_order_and_an_empty_one_is_refused(app: CairnApp) -> None:
    ada, provider_id = an_admin(app), applied(app)
    app.directory.add_note(provider_id, by=ada, text="  Phoned Isla about the PVG.  ")
    app.directory.add_note(provider_id, by=ada, text="Certificate promised by Friday.")
    with pytest.raises(InvalidTransition, match="Write the note"):
        app.directory.add_note(provider_id, by=ada, text="   ")
    notes = app.load(DeskFile, desk_file_id(provider_id)).notes
    assert notes == [(ada, "Phoned Isla about the PVG."), (ada, "Certificate promised by Friday.")]


def test_erasing_the_provider_shreds_the_notes_about_them() -> None:
    keys = MemoryKeyStore()
    app = CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, keys=keys)
    ada, provider_id = an_admin(app), applied(app)
    app.directory.add_note(provider_id, by=ada, text="Isla mentioned her back trouble.")

    keys.shred(subject_for_id(provider_id))  # what erasing the provider does to their record

    assert app.load(DeskFile, desk_file_id(provider_id)).notes == [(ada, ERASED)]
