"""The authorization matrix's world, and clients signed in as each of its roles, each from
its own address. Security tests and the fuzzers share them."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from tests.support.route_expectations import ACCOUNTS, ANONYMOUS, ROLES, World, build_world
from tests.support.web import PASSWORD, csrf_token


def sign_in_as(client: FlaskClient, role: str) -> None:
    if role == ANONYMOUS:
        return
    response = client.post(
        "/sign-in",
        data={"email": ACCOUNTS[role][0], "password": PASSWORD, "csrf_token": csrf_token(client)},
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
