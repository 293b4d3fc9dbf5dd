"""A person who moved their account to another address is found, exported and erased by the
address they use now, with everything from before the move; the old address finds nothing
of theirs."""

from __future__ import annotations

from uuid import UUID

import pytest

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.personal_keys import subject_for_email
from cairn.operations.data_rights import erase_person, export_person, holdings
from tests.support.readmodels import snapshot

PASSWORD = "otter kelp lantern harbour"
OLD, NEW = "morag@old.example", "morag@new.example"


def catch_up(runtime: Runtime) -> None:
    for runner in runtime.runners:
        runner.catch_up()


def move(runtime: Runtime, account_id: UUID, new: str = NEW) -> None:
    app = runtime.app
    change = app.email_changes.request_change(account_id, PASSWORD, new, "en")
    app.email_changes.make_change(change.id)


@pytest.fixture
def morag(runtime: Runtime) -> UUID:
    return runtime.app.accounts.register(OLD, "Morag Veitch", [Role.PROVIDER], PASSWORD).id


def test_export_by_the_new_address_holds_the_account_from_before_the_move(
    runtime: Runtime, morag: UUID
) -> None:
    move(runtime, morag)
    exported = export_person(runtime, NEW)
    kinds = [(e["record"], e["event"]) for e in exported["events"]]
    assert ("Account", "Registered") in kinds
    assert ("Account", "EmailChanged") in kinds
    assert ("EmailChange", "Requested") in kinds
    registered = next(e for e in exported["events"] if e["event"] == "Registered")
    assert registered["data"]["email"] == OLD
    assert export_person(runtime, OLD)["events"] == []


def test_erasure_by_the_new_address_leaves_neither_address_anywhere(
    runtime: Runtime, morag: UUID
) -> None:
    subject = subject_for_email(OLD, runtime.keys)
    move(runtime, morag)
    catch_up(runtime)
    assert NEW in repr(snapshot(runtime.read_engine))

    done = erase_person(runtime, NEW)
    catch_up(runtime)

    assert done.erasure_id is not None
    assert subject is not None and runtime.keys.key_for(subject, create=False) is None
    assert subject_for_email(NEW, runtime.keys) is None
    rows = repr(snapshot(runtime.read_engine))
    for trace in (OLD, NEW, "Morag Veitch"):
        assert trace not in rows
    assert runtime.app.accounts.account_id_for(NEW) == morag  # the claim stays, unreadable


def test_a_new_address_with_a_key_of_its_own_is_erased_with_the_account(
    runtime: Runtime, morag: UUID
) -> None:
    """The new address was a listing's email first: its key and the account's both go."""
    runtime.app.directory.apply(
        name="Veitch Gardens",
        contact_name="Morag Veitch",
        email=NEW,
        postcode="KA7 1AA",
        services=["gardening"],
        phone="01292 000111",
    )
    account_key = subject_for_email(OLD, runtime.keys)
    listing_key = subject_for_email(NEW, runtime.keys)
    move(runtime, morag)
    held = holdings(runtime, NEW)
    assert held.accounts == {morag}
    assert {account_key, listing_key} <= set(held.subjects())

    erase_person(runtime, NEW)
    catch_up(runtime)
    for key in (account_key, listing_key):
        assert key is not None and runtime.keys.key_for(key, create=False) is None
    rows = repr(snapshot(runtime.read_engine))
    assert OLD not in rows and NEW not in rows and "01292 000111" not in rows


def test_someone_who_takes_the_old_address_is_not_erased_with_the_person(
    runtime: Runtime, morag: UUID
) -> None:
    move(runtime, morag)
    later = runtime.app.accounts.register(OLD, "Someone Else", [Role.TEAM_MEMBER], PASSWORD)
    theirs = subject_for_email(OLD, runtime.keys)

    erase_person(runtime, NEW)

    assert theirs is not None and runtime.keys.key_for(theirs, create=False) is not None
    assert holdings(runtime, OLD).accounts == {later.id}
