"""Moving an account to another email address: proved by a link to the new address, once,
for a day; the old address is released for someone else, and the person keeps one key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from cairn.domain.accounts.account import Account, EmailIndex
from cairn.domain.accounts.changing_email import AddressTaken
from cairn.domain.accounts.commands import WrongPassword
from cairn.domain.accounts.email_change import CHANGE_LASTS
from cairn.domain.accounts.reset import LinkExpired, LinkUsed
from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError, StaleState
from cairn.domain.personal_keys import subject_for_email

PASSWORD = "otter kelp lantern harbour"
OLD, NEW = "morag@old.example", "morag@new.example"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(tz=UTC)  # events are stamped with the real time

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(clock: Clock) -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)


@pytest.fixture
def morag(app: CairnApp) -> Account:
    done = app.accounts.register(OLD, "Morag", [Role.PROVIDER], PASSWORD)
    return app.load(Account, done.id)


def ask(app: CairnApp, account: Account, new: str = NEW, password: str = PASSWORD) -> UUID:
    return app.email_changes.request_change(account.id, password, new, "en").id


def test_the_link_moves_the_account_and_the_old_address_is_free_again(
    app: CairnApp, morag: Account
) -> None:
    subject = subject_for_email(OLD, app.keys)
    change_id = ask(app, morag, new="Morag@New.example")
    assert app.load(Account, morag.id).email == OLD  # nothing changes until the link is used

    app.email_changes.make_change(change_id)

    account = app.load(Account, morag.id)
    assert account.email == "Morag@new.example"
    assert account.email_confirmed_on == clock_today(app)
    assert app.accounts.account_id_for(NEW) == morag.id
    assert app.accounts.account_id_for(OLD) is None
    assert subject_for_email(NEW, app.keys) == subject  # the person keeps their one key
    assert subject_for_email(OLD, app.keys) is None

    someone = app.accounts.register(OLD, "Someone new", [Role.TEAM_MEMBER], PASSWORD)
    assert app.accounts.account_id_for(OLD) == someone.id
    assert subject_for_email(OLD, app.keys) not in (None, subject)  # a key of their own
    with pytest.raises(DomainError, match="already exists"):
        app.accounts.register(NEW, "Not Morag", [Role.TEAM_MEMBER], PASSWORD)


def clock_today(app: CairnApp) -> object:
    return app.clock().date()


def test_asking_needs_the_password_and_a_different_good_address(
    app: CairnApp, morag: Account
) -> None:
    with pytest.raises(WrongPassword):
        ask(app, morag, password="not my password at all")
    with pytest.raises(DomainError, match="already your email"):
        ask(app, morag, new="MORAG@old.example")
    with pytest.raises(DomainError, match="email"):
        ask(app, morag, new="morag at new")
    with pytest.raises(DomainError):
        ask(app, morag, new="morag@new.example\r\nBcc: x@y.example")


def test_a_link_works_once_and_for_a_day(app: CairnApp, morag: Account, clock: Clock) -> None:
    first = ask(app, morag)
    app.email_changes.make_change(first)
    with pytest.raises(LinkUsed):
        app.email_changes.make_change(first)

    late = ask(app, app.load(Account, morag.id), new="morag@third.example")
    clock.now += CHANGE_LASTS + timedelta(minutes=1)
    with pytest.raises(LinkExpired):
        app.email_changes.check_link(late)
    assert app.load(Account, morag.id).email == NEW


def test_a_password_change_after_asking_ends_the_link(app: CairnApp, morag: Account) -> None:
    change_id = ask(app, morag)
    app.accounts.change_password(morag.id, PASSWORD, "a different long passphrase")
    with pytest.raises(LinkUsed, match="changed since"):
        app.email_changes.make_change(change_id)
    assert app.load(Account, morag.id).email == OLD


def test_an_address_another_account_uses_is_refused_and_nothing_moves(
    app: CairnApp, morag: Account
) -> None:
    subject = subject_for_email(OLD, app.keys)
    change_id = ask(app, morag)
    app.accounts.register(NEW, "Morag's colleague", [Role.PROVIDER], PASSWORD)
    new_subject = subject_for_email(NEW, app.keys)

    with pytest.raises(AddressTaken, match="already has an account"):
        app.email_changes.make_change(change_id)

    assert app.load(Account, morag.id).email == OLD
    assert subject_for_email(OLD, app.keys) == subject
    assert subject_for_email(NEW, app.keys) == new_subject
    assert app.load(EmailIndex, EmailIndex.create_id(OLD)).account_id == morag.id


def test_a_failed_save_puts_the_links_back(
    app: CairnApp, morag: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    subject = subject_for_email(OLD, app.keys)
    change_id = ask(app, morag)

    def lost_the_race(*aggregates: object) -> int:
        raise StaleState()  # as when the same link is pressed twice at once

    monkeypatch.setattr(app, "record", lost_the_race)
    with pytest.raises(StaleState):
        app.email_changes.make_change(change_id)
    monkeypatch.undo()
    assert subject_for_email(OLD, app.keys) == subject
    assert subject_for_email(NEW, app.keys) is None
    app.email_changes.make_change(change_id)
    assert subject_for_email(NEW, app.keys) == subject


def test_a_new_address_with_a_key_of_its_own_keeps_it(app: CairnApp, morag: Account) -> None:
    """A listing's email, say: its records stay under their key, and the account's new
    events join it (erasure finds both through the account: tests/data_rights)."""
    provider = app.directory.apply(
        name="Morag's Gardens",
        contact_name="Morag",
        email=NEW,
        postcode="KA7 1AA",
        services=["gardening"],
        phone="01292 000111",
    )
    listing_subject = subject_for_email(NEW, app.keys)
    assert provider.id and listing_subject is not None
    app.email_changes.make_change(ask(app, morag))
    assert subject_for_email(NEW, app.keys) == listing_subject
    assert app.load(Account, morag.id).email == NEW
