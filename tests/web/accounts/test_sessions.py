"""Sessions that end: sign-out, password change and disabling end them everywhere; idle and
absolute limits hold on the server; sign-in starts a fresh session (issue 14, finding 5).

Every test runs on SQLite and on PostgreSQL (the `settings` fixture)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import Settings
from cairn.domain.accounts.roles import Role
from cairn.web import create_app
from tests.support.web import PASSWORD, csrf_token, make_account, sign_in

ADMIN_PAGE = "/admin/applications"
PROVIDER_PAGE = "/account"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runtime(settings: Settings, clock: Clock) -> Iterator[Runtime]:
    rt = Runtime(settings, clock=clock)
    yield rt
    rt.close()


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app: Flask, cookie: str) -> FlaskClient:
    """Another browser holding a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def decoded(app: Flask, cookie: str) -> dict[str, Any]:
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert serializer is not None
    data: dict[str, Any] = serializer.loads(cookie)
    return data


def signed_out(response: Any) -> bool:
    return response.status_code == 302 and "/sign-in" in response.headers["Location"]


def post_form(client: FlaskClient, page: str, action: str, **data: str) -> Any:
    return client.post(action, data={**data, "csrf_token": csrf_token(client, page)})


def test_a_replayed_cookie_after_sign_out_gets_the_sign_in_page(
    app: Flask, admin_client: FlaskClient
) -> None:
    assert admin_client.get(ADMIN_PAGE).status_code == 200
    copied = session_cookie(admin_client)
    assert replay(app, copied).get(ADMIN_PAGE).status_code == 200  # the copy works, for now
    admin_client.post("/sign-out", data={"csrf_token": csrf_token(admin_client, "/")})
    thief = replay(app, copied)
    response = thief.get(ADMIN_PAGE)
    assert signed_out(response)
    page = thief.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your session has ended" in page


def test_sign_out_on_one_node_ends_the_session_on_another(
    app: Flask, admin_client: FlaskClient, settings: Settings, clock: Clock
) -> None:
    """Two runtimes over one database stand for two workers (or hosts)."""
    other_runtime = Runtime(settings, clock=clock)
    try:
        other = create_app(settings, other_runtime, start_projections=False, testing=True)
        copied = session_cookie(admin_client)
        assert replay(other, copied).get(ADMIN_PAGE).status_code == 200
        admin_client.post("/sign-out", data={"csrf_token": csrf_token(admin_client, "/")})
        assert signed_out(replay(other, copied).get(ADMIN_PAGE))
    finally:
        other_runtime.close()


def test_changing_the_password_ends_other_sessions_and_renews_this_one(
    app: Flask, client: FlaskClient, runtime: Runtime
) -> None:
    make_account(runtime, "pat@provider.example", Role.PROVIDER)
    sign_in(client, "pat@provider.example")
    laptop = app.test_client()
    sign_in(laptop, "pat@provider.example")
    before = session_cookie(client)

    wrong = post_form(
        client,
        PROVIDER_PAGE,
        "/account/password",
        current_password="not it at all",
        new_password="a brand new passphrase",
        confirm_password="a brand new passphrase",
    )
    assert wrong.status_code == 400
    assert "current password is not right" in wrong.get_data(as_text=True)
    assert laptop.get(PROVIDER_PAGE).status_code == 200  # nothing changed yet

    done = post_form(
        client,
        PROVIDER_PAGE,
        "/account/password",
        current_password=PASSWORD,
        new_password="a brand new passphrase",
        confirm_password="a brand new passphrase",
    )
    assert done.status_code == 302
    assert client.get(PROVIDER_PAGE).status_code == 200  # this browser carries on
    assert decoded(app, session_cookie(client))["sid"] != decoded(app, before)["sid"]
    assert signed_out(laptop.get(PROVIDER_PAGE))
    assert signed_out(replay(app, before).get(PROVIDER_PAGE))
    # The old password is gone, the new one works.
    fresh = app.test_client()
    response = fresh.post(
        "/sign-in",
        data={
            "email": "pat@provider.example",
            "password": PASSWORD,
            "csrf_token": csrf_token(fresh),
        },
    )
    assert response.status_code == 400
    sign_in(fresh, "pat@provider.example", "a brand new passphrase")


def test_a_weak_or_mistyped_new_password_is_refused(client: FlaskClient, runtime: Runtime) -> None:
    make_account(runtime, "pat@provider.example", Role.PROVIDER)
    sign_in(client, "pat@provider.example")
    short = post_form(
        client,
        PROVIDER_PAGE,
        "/account/password",
        current_password=PASSWORD,
        new_password="short",
        confirm_password="short",
    )
    assert short.status_code == 400 and "12" in short.get_data(as_text=True)
    mismatch = post_form(
        client,
        PROVIDER_PAGE,
        "/account/password",
        current_password=PASSWORD,
        new_password="a brand new passphrase",
        confirm_password="a brand new passphrase!",
    )
    assert mismatch.status_code == 400
    assert "not the same" in mismatch.get_data(as_text=True)


def test_sign_out_everywhere_ends_every_session_of_the_person(
    app: Flask, client: FlaskClient, runtime: Runtime
) -> None:
    make_account(runtime, "pat@provider.example", Role.PROVIDER)
    sign_in(client, "pat@provider.example")
    phone = app.test_client()
    sign_in(phone, "pat@provider.example")
    copied = session_cookie(client)
    response = post_form(client, PROVIDER_PAGE, "/account/sign-out-everywhere")
    assert signed_out(response)
    assert signed_out(phone.get(PROVIDER_PAGE))
    assert signed_out(replay(app, copied).get(PROVIDER_PAGE))
    assert signed_out(client.get(PROVIDER_PAGE))


def test_a_disabled_account_is_signed_out_at_once_and_cannot_sign_in(
    app: Flask, admin_client: FlaskClient, runtime: Runtime
) -> None:
    person = make_account(runtime, "pat@provider.example", Role.PROVIDER, name="Pat")
    theirs = app.test_client()
    sign_in(theirs, "pat@provider.example")
    page = f"/admin/accounts/{person}"
    assert "Pat" in admin_client.get("/admin/accounts").get_data(as_text=True)
    no_reason = post_form(admin_client, page, f"{page}/disable", reason="  ")
    assert no_reason.status_code == 400
    assert theirs.get(PROVIDER_PAGE).status_code == 200

    done = post_form(admin_client, page, f"{page}/disable", reason="Left the partnership")
    assert done.status_code == 302
    html = admin_client.get(page).get_data(as_text=True)
    assert "Disabled: cannot sign in" in html and "Left the partnership" in html
    assert signed_out(theirs.get(PROVIDER_PAGE))

    # Signing in again gets the same answer as a wrong password: nothing to learn.
    again = app.test_client()
    refused = again.post(
        "/sign-in",
        data={
            "email": "pat@provider.example",
            "password": PASSWORD,
            "csrf_token": csrf_token(again),
        },
    )
    assert refused.status_code == 400
    assert "The email address or password is not right" in refused.get_data(as_text=True)

    audit = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "Disabled the account" in audit

    assert post_form(admin_client, page, f"{page}/enable", reason="Back").status_code == 302
    sign_in(app.test_client(), "pat@provider.example")
    assert "Enabled the account again" in admin_client.get("/admin/audit").get_data(as_text=True)


def test_an_admin_cannot_disable_themselves(admin_client: FlaskClient, admin_id: UUID) -> None:
    page = f"/admin/accounts/{admin_id}"
    assert "This is your own account" in admin_client.get(page).get_data(as_text=True)
    response = post_form(admin_client, page, f"{page}/disable", reason="Oops")
    assert response.status_code == 400
    assert "cannot disable your own account" in response.get_data(as_text=True)
    assert admin_client.get(ADMIN_PAGE).status_code == 200


def test_an_administrator_is_signed_out_after_30_idle_minutes(
    app: Flask, admin_client: FlaskClient, clock: Clock
) -> None:
    clock.advance(minutes=29)
    assert admin_client.get(ADMIN_PAGE).status_code == 200  # activity keeps it alive
    clock.advance(minutes=29)
    assert admin_client.get(ADMIN_PAGE).status_code == 200
    copied = session_cookie(admin_client)
    clock.advance(minutes=31)
    response = admin_client.get(ADMIN_PAGE)
    assert signed_out(response)
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "had not used Cairn for a while" in page
    # Ended on the server: a copy of the cookie is no use either.
    assert signed_out(replay(app, copied).get(ADMIN_PAGE))


def test_other_people_have_a_longer_idle_limit(
    client: FlaskClient, runtime: Runtime, clock: Clock
) -> None:
    make_account(runtime, "pat@provider.example", Role.PROVIDER)
    sign_in(client, "pat@provider.example")
    clock.advance(minutes=235)
    assert client.get(PROVIDER_PAGE).status_code == 200
    clock.advance(minutes=241)
    assert signed_out(client.get(PROVIDER_PAGE))


def test_a_partnership_lead_has_the_administrators_idle_limit(
    client: FlaskClient, runtime: Runtime, clock: Clock
) -> None:
    make_account(runtime, "lead@partnership.example", Role.PARTNERSHIP_LEAD)
    sign_in(client, "lead@partnership.example")
    clock.advance(minutes=29)
    assert client.get("/learning/partnership").status_code == 200
    clock.advance(minutes=31)
    assert signed_out(client.get("/learning/partnership"))


def test_a_session_ends_after_its_absolute_lifetime_however_busy(
    client: FlaskClient, runtime: Runtime, clock: Clock
) -> None:
    make_account(runtime, "pat@provider.example", Role.PROVIDER)
    sign_in(client, "pat@provider.example")
    for _ in range(11):
        clock.advance(hours=1)
        assert client.get(PROVIDER_PAGE).status_code == 200
    clock.advance(minutes=59)
    assert client.get(PROVIDER_PAGE).status_code == 200
    clock.advance(minutes=2)  # 12 hours and a minute after signing in
    response = client.get(PROVIDER_PAGE)
    assert signed_out(response)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed in for 12 hours" in page


def test_sign_in_starts_a_new_session_and_csrf_token(
    app: Flask, client: FlaskClient, admin_id: UUID
) -> None:
    """No session fixation: nothing an attacker planted before sign-in survives it."""
    token_before = csrf_token(client)
    planted = session_cookie(client)
    sign_in(client, "admin@cic.example")
    after = session_cookie(client)
    # The old CSRF secret is gone; the next form gets a new one.
    assert "csrf_token" in decoded(app, planted) and "csrf_token" not in decoded(app, after)
    assert csrf_token(client, ADMIN_PAGE) != token_before
    assert decoded(app, session_cookie(client))["csrf_token"] != decoded(app, planted)["csrf_token"]
    first_sid = decoded(app, after)["sid"]
    # The planted (pre-sign-in) cookie is still signed out.
    assert signed_out(replay(app, planted).get(ADMIN_PAGE))
    # Signing in again, even from a signed-in session, gives a new session id.
    sign_in(client, "admin@cic.example")
    assert decoded(app, session_cookie(client))["sid"] != first_sid


def test_rebuilding_read_models_signs_nobody_out(
    admin_client: FlaskClient, runtime: Runtime
) -> None:
    runtime.sql_sink.drop_and_recreate()
    runtime.wait_for(runtime.app.head(), timeout=10)
    assert admin_client.get(ADMIN_PAGE).status_code == 200


def test_the_server_keeps_only_a_digest_of_each_session_token(
    app: Flask, admin_client: FlaskClient, runtime: Runtime, admin_id: UUID
) -> None:
    from sqlalchemy import select

    from cairn.infrastructure.sessions import web_sessions

    sid = decoded(app, session_cookie(admin_client))["sid"]
    with runtime.sessions.engine.connect() as conn:
        stored = [row.token_hash for row in conn.execute(select(web_sessions))]
    assert stored and sid not in stored
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in stored)
    assert runtime.sessions.count(admin_id) == 1


def test_an_erased_person_is_signed_out(client: FlaskClient, runtime: Runtime) -> None:
    from cairn.operations.data_rights import erase_person

    make_account(runtime, "pat@provider.example", Role.PROVIDER)
    sign_in(client, "pat@provider.example")
    assert client.get(PROVIDER_PAGE).status_code == 200
    erase_person(runtime, "pat@provider.example")
    runtime.wait_for(runtime.app.head(), timeout=10)
    assert signed_out(client.get(PROVIDER_PAGE))
