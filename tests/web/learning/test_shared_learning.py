"""Visibility that says what it does (issue #20, part 6): public learning is on a public page
and readable without signing in; "everyone signed in" includes providers; beyond the team,
people are shown by their role, never by name, and member lists stay with the team."""

from __future__ import annotations

from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.learning.vocabulary import PUBLIC, SHARED, SIGNED_IN, TEAM
from tests.support.learning import People, experiment, reflection, settle_all
from tests.support.web import PASSWORD, sign_in

TITLES = {
    TEAM: "Kitchen table secret",
    SHARED: "Shared with partner teams",
    SIGNED_IN: "For everyone signed in",
    PUBLIC: "Open to the public",
}


@pytest.fixture
def shared(runtime: Runtime, people: People) -> dict[str, UUID]:
    """Team A (lead Ann) records a reflection at each visibility and a public experiment;
    team B (lead Cat) a public reflection of its own."""
    learning = runtime.app.learning
    ids = {
        visibility: learning.record_reflection(
            people.team_a, reflection(title=title, visibility=visibility), by=people.ann
        ).id
        for visibility, title in TITLES.items()
    }
    ids["team b"] = learning.record_reflection(
        people.team_b, reflection(title="Carers' cafe", visibility=PUBLIC), by=people.cat
    ).id
    ids["experiment"] = learning.propose_experiment(
        people.team_a, experiment(title="Lifts in the open", visibility=PUBLIC), by=people.ann
    ).id
    ids["team experiment"] = learning.propose_experiment(
        people.team_a, experiment(title="Lifts kept close", visibility=TEAM), by=people.ann
    ).id
    settle_all(runtime)
    return ids


def _page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_the_public_reads_shared_learning_of_every_team_without_signing_in(
    client: FlaskClient, shared: dict[str, UUID]
) -> None:
    page = _page(client, "/learning/shared")
    assert "Open to the public" in page and "Carers&#39; cafe" in page
    assert "Lifts in the open" in page
    for hidden in ("Kitchen table secret", "Shared with partner teams", "For everyone signed in"):
        assert hidden not in page
    assert "Lifts kept close" not in page
    assert "Ann" not in page and "Cat" not in page  # nobody is named
    assert 'href="/learning/shared"' in _page(client, "/")  # linked from every page's footer


def test_a_public_item_opens_without_an_account_and_names_nobody(
    client: FlaskClient, shared: dict[str, UUID]
) -> None:
    page = _page(client, f"/learning/reflections/{shared[PUBLIC]}")
    assert "Open to the public" in page
    assert "a team lead" in page and "Ann" not in page
    assert "Ann" not in _page(client, f"/learning/reflections/{shared[PUBLIC]}/versions")
    assert "Lifts in the open" in _page(client, f"/learning/experiments/{shared['experiment']}")


@pytest.mark.parametrize("kept", [TEAM, SHARED, SIGNED_IN])
def test_anything_else_asks_a_signed_out_reader_to_sign_in(
    client: FlaskClient, shared: dict[str, UUID], kept: str
) -> None:
    response = client.get(f"/learning/reflections/{shared[kept]}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    # The same answer as for something that does not exist: nothing leaks.
    nothing = client.get(f"/learning/reflections/{UUID(int=7)}")
    assert nothing.status_code == 302 and "/sign-in" in nothing.headers["Location"]


def test_a_provider_is_signed_in_and_reads_what_is_shared_with_everyone_signed_in(
    client: FlaskClient, runtime: Runtime, shared: dict[str, UUID]
) -> None:
    runtime.app.accounts.register("pat@provider.example", "Pat", [Role.PROVIDER], PASSWORD)
    settle_all(runtime)
    sign_in(client, "pat@provider.example")
    page = _page(client, "/learning/shared")
    assert "For everyone signed in" in page and "Open to the public" in page
    assert "Kitchen table secret" not in page and "Shared with partner teams" not in page
    assert "For everyone signed in" in _page(client, f"/learning/reflections/{shared[SIGNED_IN]}")
    assert client.get(f"/learning/reflections/{shared[TEAM]}").status_code == 404
    assert client.get("/learning/").status_code == 403  # the team pages are not theirs


def test_names_stay_inside_the_team(
    client: FlaskClient, people: People, shared: dict[str, UUID]
) -> None:
    sign_in(client, "cat@team-b.example")  # team B reads team A's signed-in reflection
    page = _page(client, f"/learning/reflections/{shared[SIGNED_IN]}")
    assert "a team lead" in page and "Ann" not in page
    team_a = _page(client, f"/learning/teams/{people.team_a}")
    assert "Ann" not in team_a and "Bob" not in team_a
    assert "2 people are in this team." in team_a
    sign_in(client, "bob@team-a.example")  # inside team A, names are shown
    assert "Ann" in _page(client, f"/learning/reflections/{shared[SIGNED_IN]}")
    team_a = _page(client, f"/learning/teams/{people.team_a}")
    assert "Ann" in team_a and "Bob" in team_a
