"""Every route × every role, generated from the app's URL map.

A route without an entry in route_expectations.EXPECTED fails here, so access rules are
decided on purpose for every new page, never by default."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.support.roles import sign_in_as
from tests.support.route_expectations import (
    CSRF_EXEMPT,
    EXPECTED,
    ROLES,
    World,
    routes,
    url_for_rule,
)
from tests.support.web import csrf_token


def test_every_route_has_an_expectation_and_every_expectation_a_route(app: Flask) -> None:
    present = {(rule.endpoint, method) for rule, method in routes(app)}
    expected = {(endpoint, method) for endpoint, by in EXPECTED.items() for method in by}
    missing = sorted(present - expected)
    stale = sorted(expected - present)
    assert not missing, f"add these to tests/support/route_expectations.py: {missing}"
    assert not stale, f"these entries name routes that do not exist: {stale}"
    for endpoint, by_method in EXPECTED.items():
        for method, by_role in by_method.items():
            assert set(by_role) == set(ROLES), (endpoint, method)


def test_every_route_answers_every_role_as_expected(
    app: Flask, role_clients: dict[str, FlaskClient], world: World
) -> None:
    failures: list[str] = []
    checked = 0
    for rule, method in routes(app):
        url = url_for_rule(rule, world)
        for role in ROLES:
            client = role_clients[role]
            data = {"csrf_token": csrf_token(client, "/")} if method != "GET" else None
            response = client.open(url, method=method, data=data)
            want = EXPECTED[rule.endpoint][method][role]
            checked += 1
            if response.status_code != want:
                failures.append(f"{method} {url} as {role}: {response.status_code}, want {want}")
            assert response.status_code < 500, f"{method} {url} as {role} → server error"
            if rule.endpoint in ("accounts.logout", "accounts.sign_out_everywhere"):
                sign_in_as(client, role)  # carry on as the same role
    assert not failures, "\n".join(failures)
    print(f"\nroutes × roles checked: {checked}")


def test_every_state_changing_route_refuses_a_request_without_a_csrf_token(
    app: Flask, role_clients: dict[str, FlaskClient], world: World
) -> None:
    for rule, method in routes(app):
        if method == "GET" or rule.endpoint in CSRF_EXEMPT:
            continue
        url = url_for_rule(rule, world)
        for role in ROLES:
            response = role_clients[role].open(url, method=method, data={"x": "1"})
            assert response.status_code == 400, (method, url, role, response.status_code)
            assert "Your form timed out" in response.get_data(as_text=True)
