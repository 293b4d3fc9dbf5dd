"""Sign-in lockout that a stranger cannot use to keep the owner out.

Per account and address, then per account; exponential back-off; guesses during a lock do
not stretch it; an administrator can unlock (and the audit log says who did)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import Settings
from cairn.domain.accounts.roles import Role
from cairn.domain.accounts.signins import ACCOUNT_LOCKOUT_THRESHOLD, LOCKOUT_THRESHOLD
from cairn.web import create_app
from tests.support.web import PASSWORD, csrf_token, make_account, sign_in

OWNER = "owner@cic.example"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def wait(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Site:
    app: Flask
    runtime: Runtime
    clock: Clock
    owner: UUID

    def client(self, address: str) -> FlaskClient:
        client = self.app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return client


@pytest.fixture
def site(settings: Settings) -> Iterator[Site]:
    clock = Clock()
    runtime = Runtime(settings, clock=clock)
    try:
        app = create_app(settings, runtime, start_projections=True, testing=True)
        # The per-address and per-email rate limits are tested elsewhere; here, lockout alone.
        app.config["RATELIMIT_ENABLED"] = False
        owner = make_account(runtime, OWNER, Role.CIC_ADMIN, name="Olive Owner")
        yield Site(app, runtime, clock, owner)
    finally:
        runtime.close()


def attempt(client: FlaskClient, password: str, email: str = OWNER) -> int:
    return client.post(
        "/sign-in", data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    ).status_code


def guess(client: FlaskClient, times: int, email: str = OWNER) -> list[int]:
    return [attempt(client, f"wrong-guess-{n}-password", email) for n in range(times)]


def test_guesses_during_a_lock_do_not_extend_it(site: Site) -> None:
    stranger = site.client("10.5.0.1")
    assert guess(stranger, LOCKOUT_THRESHOLD) == [400] * LOCKOUT_THRESHOLD
    for _ in range(5):
        site.clock.wait(seconds=10)
        assert guess(stranger, 3) == [429] * 3  # refused unchecked, and not counted
    site.clock.wait(seconds=11)  # a minute after the lock began
    assert attempt(stranger, PASSWORD) == 302


def test_strangers_elsewhere_do_not_lock_out_the_owner(site: Site) -> None:
    for n in range(3):  # three addresses, each locked out of the account
        stranger = site.client(f"10.5.1.{n + 1}")
        assert guess(stranger, LOCKOUT_THRESHOLD + 2)[-1] == 429
    owner = site.client("10.5.9.9")
    assert attempt(owner, PASSWORD) == 302


def test_many_strangers_lock_the_account_only_for_the_back_off(site: Site) -> None:
    for n in range(ACCOUNT_LOCKOUT_THRESHOLD):
        guess(site.client(f"10.5.2.{n + 1}"), 1)
    owner = site.client("10.5.9.9")
    assert attempt(owner, PASSWORD) == 429  # locked everywhere, the first time for a minute
    for n in range(30):  # more strangers guessing during the lock change nothing
        assert guess(site.client(f"10.5.3.{n + 1}"), 1) == [429]
    site.clock.wait(seconds=61)
    assert attempt(owner, PASSWORD) == 302


def test_each_lock_lasts_twice_as_long_as_the_last(site: Site) -> None:
    stranger = site.client("10.5.4.1")
    guess(stranger, LOCKOUT_THRESHOLD)
    site.clock.wait(seconds=61)
    assert guess(stranger, LOCKOUT_THRESHOLD) == [400] * LOCKOUT_THRESHOLD  # locked again
    site.clock.wait(seconds=61)
    assert attempt(stranger, PASSWORD) == 429  # two minutes this time
    site.clock.wait(seconds=60)
    assert attempt(stranger, PASSWORD) == 302


def test_an_unknown_email_is_locked_the_same_way(site: Site) -> None:
    stranger = site.client("10.5.5.1")
    nobody = "nobody@cic.example"
    assert guess(stranger, LOCKOUT_THRESHOLD + 1, nobody) == [400] * LOCKOUT_THRESHOLD + [429]
    site.clock.wait(seconds=61)
    assert guess(stranger, 1, nobody) == [400]


def test_an_administrator_can_unlock_and_the_audit_log_says_who(site: Site) -> None:
    make_account(site.runtime, "second@cic.example", Role.CIC_ADMIN, name="Sam Second")
    for n in range(ACCOUNT_LOCKOUT_THRESHOLD):
        guess(site.client(f"10.5.6.{n + 1}"), 1)
    owner = site.client("10.5.9.9")
    assert attempt(owner, PASSWORD) == 429

    admin = site.client("10.5.9.10")
    sign_in(admin, "second@cic.example")
    site.runtime.wait_for(site.runtime.app.head())
    page = admin.get("/admin/sign-in-lockouts").get_data(as_text=True)
    shown = page.replace("<wbr>", "")  # addresses may break at their dots and @, not inside words
    assert "Olive Owner" in shown and OWNER in shown
    response = admin.post(
        f"/admin/sign-in-lockouts/{site.owner}/unlock",
        data={"csrf_token": csrf_token(admin, "/admin/sign-in-lockouts")},
    )
    assert response.status_code == 302
    assert attempt(owner, PASSWORD) == 302  # at once, no waiting

    site.runtime.wait_for(site.runtime.app.head())
    audit = admin.get("/admin/audit?kind=SignInUnlock.Unlocked").get_data(as_text=True)
    assert "Unlocked sign-in for the account" in audit and "Sam Second" in audit


def test_only_administrators_unlock(site: Site) -> None:
    make_account(site.runtime, "team@cic.example", Role.TEAM_MEMBER)
    member = site.client("10.5.7.1")
    sign_in(member, "team@cic.example")
    token = csrf_token(member, "/")
    response = member.post(
        f"/admin/sign-in-lockouts/{site.owner}/unlock", data={"csrf_token": token}
    )
    assert response.status_code == 403
