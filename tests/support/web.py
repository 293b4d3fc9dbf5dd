"""Web fixtures: a Flask test client over a fresh runtime, and ways to sign in (the form's
CSRF token, an account with a known password)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.web import create_app

PASSWORD = "correct-horse-battery"


@pytest.fixture
def app(runtime: Runtime) -> Iterator[Flask]:
    flask_app = create_app(runtime.settings, runtime, start_projections=True, testing=True)
    if runtime.jobs is not None:
        # Tests run the periodic jobs themselves when they need them: in the background, the
        # first sweep's own events (the week's digest) would land in the middle of a test.
        runtime.jobs.stop()
    yield flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, path: str = "/sign-in") -> str:
    """The CSRF token from a page's form, as a browser would send it back."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def make_account(runtime: Runtime, email: str, *roles: Role, name: str = "Test person") -> UUID:
    done = runtime.app.accounts.register(email, name, list(roles), PASSWORD)
    runtime.wait_for(done.position)
    return done.id


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/sign-in", data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def admin_id(runtime: Runtime) -> UUID:
    return make_account(runtime, "admin@cic.example", Role.CIC_ADMIN, name="Ada Admin")


@pytest.fixture
def admin_client(client: FlaskClient, admin_id: UUID) -> FlaskClient:
    sign_in(client, "admin@cic.example")
    return client
