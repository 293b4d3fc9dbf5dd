"""Accounts: registration, unique emails, password rules."""

from __future__ import annotations

from uuid import UUID

import pytest

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.commands import WrongPassword
from cairn.domain.accounts.passwords import verify_password
from cairn.domain.accounts.roles import Role, effective_roles
from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError, DuplicateEmail


@pytest.fixture
def app() -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def test_an_account_keeps_its_email_name_roles_and_a_verifiable_hash(app: CairnApp) -> None:
    done = app.accounts.register("Ada@CIC.example", "Ada", [Role.CIC_ADMIN], "a long password!")
    account = app.load(Account, done.id)
    assert account.email == "Ada@cic.example"
    assert account.display_name == "Ada"
    assert account.roles == ("cic-admin",)
    assert account.password_hash != "a long password!"
    assert verify_password(account.password_hash, "a long password!")
    assert not verify_password(account.password_hash, "a wrong password")


def test_a_second_account_with_the_same_email_in_any_case_is_refused(app: CairnApp) -> None:
    app.accounts.register("ada@cic.example", "Ada", [Role.CIC_ADMIN], "a long password!")
    with pytest.raises(DuplicateEmail, match="already exists"):
        app.accounts.register("ADA@cic.EXAMPLE", "Another Ada", [Role.PROVIDER], "a long password!")


def test_a_racing_registration_loses_on_the_email_claim(app: CairnApp) -> None:
    first = app.accounts.new_account("ada@cic.example", "Ada", [Role.PROVIDER], "a long password!")
    second = app.accounts.new_account("Ada@cic.example", "Ada", [Role.PROVIDER], "a long password!")
    app.accounts.save_new(first)
    with pytest.raises(DuplicateEmail):
        app.accounts.save_new(second)
    assert app.accounts.account_id_for("ADA@CIC.EXAMPLE") == first.id


@pytest.mark.parametrize(
    ("email", "name", "password", "message"),
    [
        ("not-an-email", "Ada", "a long password!", "email"),
        ("ada@cic.example", "  ", "a long password!", "display name"),
        ("ada@cic.example", "Ada", "short", "at least 12"),
    ],
)
def test_bad_registrations_are_refused_with_a_reason(
    app: CairnApp, email: str, name: str, password: str, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        app.accounts.register(email, name, [Role.TEAM_MEMBER], password)
    assert app.head() == 0


def test_a_role_can_be_granted_once(app: CairnApp) -> None:
    done = app.accounts.register("ada@cic.example", "Ada", [Role.TEAM_MEMBER], "a long password!")
    app.accounts.grant_role(done.id, Role.CIC_ADMIN)
    assert app.load(Account, done.id).roles == ("team-member", "cic-admin")
    with pytest.raises(DomainError):
        app.accounts.grant_role(done.id, Role.CIC_ADMIN)


def _admin_and_person(app: CairnApp) -> tuple[UUID, UUID]:
    admin = app.accounts.register("ada@cic.example", "Ada", [Role.CIC_ADMIN], "a long password!")
    person = app.accounts.register("bo@cic.example", "Bo", [Role.PROVIDER], "a long password!")
    return admin.id, person.id


def test_changing_a_password_needs_the_current_one_and_follows_the_rules(app: CairnApp) -> None:
    _, person = _admin_and_person(app)
    with pytest.raises(WrongPassword):
        app.accounts.change_password(person, "not my password", "a brand new passphrase")
    with pytest.raises(DomainError, match="at least 12"):
        app.accounts.change_password(person, "a long password!", "short")
    with pytest.raises(DomainError, match="different"):
        app.accounts.change_password(person, "a long password!", "a long password!")
    app.accounts.change_password(person, "a long password!", "a brand new passphrase")
    account = app.load(Account, person)
    assert verify_password(account.password_hash, "a brand new passphrase")
    assert not verify_password(account.password_hash, "a long password!")
    changed = [
        e for e in app.repository.event_store.get(person) if "PasswordChanged" in str(type(e))
    ]
    assert changed[-1].by == person


def test_an_admin_disables_and_enables_an_account_with_a_reason(app: CairnApp) -> None:
    admin, person = _admin_and_person(app)
    with pytest.raises(DomainError, match="Enter some text"):
        app.accounts.disable(person, "   ", by=admin)
    app.accounts.disable(person, "Left the organisation", by=admin)
    assert app.load(Account, person).is_disabled
    with pytest.raises(DomainError, match="already disabled"):
        app.accounts.disable(person, "Again", by=admin)
    # A disabled account cannot change its password either.
    with pytest.raises(WrongPassword):
        app.accounts.change_password(person, "a long password!", "a brand new passphrase")
    app.accounts.enable(person, "Came back", by=admin)
    assert not app.load(Account, person).is_disabled
    events = list(app.repository.event_store.get(person))
    assert [type(e).__name__ for e in events[-2:]] == ["Disabled", "Enabled"]
    assert events[-2].reason == "Left the organisation" and events[-2].by == admin


def test_only_an_admin_may_disable_and_never_themselves(app: CairnApp) -> None:
    admin, person = _admin_and_person(app)
    with pytest.raises(DomainError, match="Only a CIC administrator"):
        app.accounts.disable(admin, "A coup", by=person)
    with pytest.raises(DomainError, match="your own account"):
        app.accounts.disable(admin, "Oops", by=admin)
    assert not app.load(Account, admin).is_disabled


def test_the_reason_for_disabling_is_personal_data_under_the_persons_key() -> None:
    assert set(Account.Disabled.personal_fields) == {"reason", "email"}  # type: ignore[attr-defined]
    assert Account.Disabled.subject_field == "email"  # type: ignore[attr-defined]
    assert Account.Enabled.subject_field == "email"  # type: ignore[attr-defined]


def test_the_team_member_role_comes_only_from_membership() -> None:
    assert effective_roles(["team-member", "provider"], in_a_team=False) == {"provider"}
    assert effective_roles(["provider"], in_a_team=True) == {"provider", "team-member"}
    assert effective_roles(("cic-admin",), in_a_team=False) == {"cic-admin"}
