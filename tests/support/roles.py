"""Clients signed in as each role of the authorization matrix, each from its own address."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.web import create_app
from tests.security.route_expectations import ACCOUNTS, ANONYMOUS, ROLES, World, build_world
from tests.webapp.conftest import PASSWORD, make_account, sign_in


@pytest.fixture
def app(runtime: Runtime) -> Iterator[Flask]:
    yield create_app(runtime.settings, runtime, start_projections=True, testing=True)


def token_from(client: FlaskClient, path: str = "/sign-in") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in_as(client: FlaskClient, role: str) -> None:
    if role == ANONYMOUS:
        return
    response = client.post(
        "/sign-in",
        data={"email": ACCOUNTS[role][0], "password": PASSWORD, "csrf_token": token_from(client)},
    )
    assert response.status_code == 302, (role, response.status_code)


@pytest.fixture
def world(runtime: Runtime) -> World:
    made = World()
    for role, (email, roles) in ACCOUNTS.items():
        done = runtime.app.accounts.register(email, role.title(), list(roles), PASSWORD)
        runtime.wait_for(done.position)
        made.account_ids[role] = done.id
    build_world(runtime, made)
    return made


@pytest.fixture
def role_clients(app: Flask, world: World) -> dict[str, FlaskClient]:
    clients: dict[str, FlaskClient] = {}
    for n, role in enumerate(ROLES):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.9.0.{n + 1}"
        sign_in_as(client, role)
        clients[role] = client
    return clients


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def admin_client(client: FlaskClient, runtime: Runtime) -> FlaskClient:
    make_account(runtime, "admin@cic.example", Role.CIC_ADMIN, name="Ada Admin")
    sign_in(client, "admin@cic.example")
    return client
