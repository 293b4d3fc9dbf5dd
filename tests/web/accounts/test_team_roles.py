"""The team-member role follows membership: leaving the last team takes it away (issue 14,
finding 5). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from tests.support.web import make_account, sign_in

LEARNING = "/learning/"


def test_the_team_member_role_goes_with_the_last_team(
    app: Flask, runtime: Runtime, admin_id: UUID
) -> None:
    learning = runtime.app.learning
    lead = make_account(runtime, "lee@team.example", Role.TEAM_MEMBER, name="Lee")
    person = make_account(runtime, "sam@team.example", Role.PROVIDER, name="Sam")
    first = learning.form_team("First", "", by=admin_id, lead_id=lead).id
    second = learning.form_team("Second", "", by=admin_id, lead_id=lead).id
    learning.add_member(first, person, by=lead)
    runtime.wait_for(learning.add_member(second, person, by=lead).position)

    client: FlaskClient = app.test_client()
    sign_in(client, "sam@team.example")
    assert client.get(LEARNING).status_code == 200

    runtime.wait_for(learning.remove_member(first, person, by=lead).position)
    assert client.get(LEARNING).status_code == 200  # still in the second team

    runtime.wait_for(learning.remove_member(second, person, by=lead).position)
    response = client.get(LEARNING)
    assert response.status_code == 403  # the very next request, same session
    assert 'href="/learning/"' not in client.get("/").get_data(as_text=True)
    # Other roles stay: they are held, not derived.
    assert client.get("/account").status_code == 200


def test_a_stored_team_member_role_without_a_team_grants_nothing(
    app: Flask, runtime: Runtime
) -> None:
    """Accounts made before this fix hold the role as stored data; it no longer counts."""
    make_account(runtime, "old@team.example", Role.TEAM_MEMBER)
    client = app.test_client()
    sign_in(client, "old@team.example")
    assert client.get(LEARNING).status_code == 403
