"""Accounts: registration, unique emails, password rules."""

from __future__ import annotations

import pytest

from domain.accounts.account import Account
from domain.accounts.passwords import verify_password
from domain.accounts.roles import Role
from domain.app import CairnApp
from domain.errors import DomainError, DuplicateEmail


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
