"""Who may read what: the rule, the SQL views, search, export and every web page agree.

A team-only reflection never reaches another team, the public, anonymous readers, search
results or exports of people who may not read it."""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.learning.visibility import ANONYMOUS, Reader, sharing_teams_for
from cairn.domain.learning.vocabulary import PUBLIC, SHARED, SIGNED_IN, TEAM
from cairn.readmodels.learning import queries as q
from tests.support.learning import People, experiment, reflection, settle_all
from tests.support.web import sign_in

TITLES = {
    TEAM: "Kitchen table secret",
    SHARED: "Shared with partner teams",
    SIGNED_IN: "For everyone signed in",
    PUBLIC: "Open to the public",
}


def test_the_rule_itself() -> None:
    a, b = UUID(int=1), UUID(int=2)
    member = Reader(account_id=UUID(int=9), member_of=frozenset({a}), sharing_teams=frozenset())
    assert member.may_read(TEAM, a) and not member.may_read(TEAM, b)
    assert member.may_read(SHARED, a) and not member.may_read(SHARED, b)
    assert member.may_read(SIGNED_IN, b) and member.may_read(PUBLIC, b)
    assert ANONYMOUS.may_read(PUBLIC, a)
    assert not any(ANONYMOUS.may_read(v, a) for v in (TEAM, SHARED, SIGNED_IN))
    assert sharing_teams_for({a}, [(b, a)], []) == {a, b}
    assert sharing_teams_for({a}, [(b, UUID(int=3))], [UUID(int=4)]) == {a, UUID(int=4)}


@pytest.fixture
def learning(runtime: Runtime, people: People) -> dict[str, UUID]:
    """Team A writes one reflection at each visibility and shares with team B."""
    ids = {
        visibility: runtime.app.learning.record_reflection(
            people.team_a,
            reflection(
                title=title, visibility=visibility, what_happened=f"lantern story {visibility}"
            ),
            by=people.ann,
        ).id
        for visibility, title in TITLES.items()
    }
    runtime.app.learning.share(people.team_a, [people.team_b], everyone=False, by=people.ann)
    settle_all(runtime)
    return ids


def readable(runtime: Runtime, reader: Reader, team: UUID) -> set[str]:
    return {row.title for row in q.timeline(runtime.read_engine, reader, team)}


def searchable(runtime: Runtime, reader: Reader) -> set[str]:
    return {hit.title for hit in runtime.learning_index.search("lantern", reader)}


def test_each_reader_sees_exactly_what_the_rule_allows_in_views_and_search(
    runtime: Runtime, people: People, learning: dict[str, UUID]
) -> None:
    engine = runtime.read_engine
    expected = {
        people.ann: set(TITLES.values()),
        people.bob: set(TITLES.values()),
        people.cat: {TITLES[SHARED], TITLES[SIGNED_IN], TITLES[PUBLIC]},
        people.dan: {TITLES[SIGNED_IN], TITLES[PUBLIC]},
        people.eve: {TITLES[SIGNED_IN], TITLES[PUBLIC]},
    }
    for account_id, titles in expected.items():
        reader = q.reader_of(engine, account_id)
        assert readable(runtime, reader, people.team_a) == titles
        assert searchable(runtime, reader) == titles
    assert readable(runtime, ANONYMOUS, people.team_a) == {TITLES[PUBLIC]}
    assert searchable(runtime, ANONYMOUS) == {TITLES[PUBLIC]}
    # A team-only reflection is not even found by id for someone outside the team.
    secret = learning[TEAM]
    assert q.reflection(engine, q.reader_of(engine, people.cat), secret) is None
    assert q.reflection(engine, ANONYMOUS, secret) is None


def test_sharing_with_everyone_widens_shared_learning_and_no_further(
    runtime: Runtime, people: People, learning: dict[str, UUID]
) -> None:
    runtime.app.learning.share(people.team_a, [people.team_b], everyone=True, by=people.ann)
    settle_all(runtime)
    dan = q.reader_of(runtime.read_engine, people.dan)
    assert TITLES[SHARED] in readable(runtime, dan, people.team_a)
    assert TITLES[SHARED] in searchable(runtime, dan)
    assert TITLES[TEAM] not in readable(runtime, dan, people.team_a) | searchable(runtime, dan)
    assert searchable(runtime, ANONYMOUS) == {TITLES[PUBLIC]}


def test_narrowing_a_reflection_takes_it_out_of_search_for_others(
    runtime: Runtime, people: People, learning: dict[str, UUID]
) -> None:
    runtime.app.learning.revise_reflection(
        learning[PUBLIC],
        reflection(title=TITLES[PUBLIC], visibility=TEAM, what_happened="lantern again"),
        by=people.ann,
    )
    settle_all(runtime)
    assert searchable(runtime, ANONYMOUS) == set()
    assert TITLES[PUBLIC] not in searchable(runtime, q.reader_of(runtime.read_engine, people.cat))


def test_experiments_follow_the_same_rule_and_funding_lists_only_public_ones(
    runtime: Runtime, people: People
) -> None:
    learning = runtime.app.learning
    secret = learning.propose_experiment(
        people.team_a, experiment(title="Quiet trial"), by=people.ann
    )
    public = learning.propose_experiment(
        people.team_a, experiment(title="Open trial", visibility=PUBLIC), by=people.ann
    )
    for done in (secret, public):
        learning.start_experiment(done.id, by=people.ann)
    settle_all(runtime)
    engine = runtime.read_engine
    assert [x.title for x in q.funded_in_public(engine)] == ["Open trial"]
    cat = q.reader_of(engine, people.cat)
    assert [x.title for x in q.experiments_of(engine, cat, people.team_a)] == ["Open trial"]
    assert q.experiment(engine, cat, secret.id) is None
    assert {h.title for h in runtime.learning_index.search("trial", cat)} == {"Open trial"}


# -- the web pages -------------------------------------------------------------------------


def test_on_the_web_a_team_only_reflection_never_leaks(
    client: FlaskClient, runtime: Runtime, people: People, learning: dict[str, UUID]
) -> None:
    secret = learning[TEAM]
    team = people.team_a
    pages = [
        f"/learning/teams/{team}",
        f"/learning/teams/{team}/timeline",
        f"/learning/teams/{team}/themes",
        f"/learning/teams/{team}/principles",
        f"/learning/teams/{team}/report",
        f"/learning/teams/{team}/export.csv",
        "/learning/search?q=lantern",
        "/learning/",
    ]
    # Anonymous: sent to sign in, and the public funding page says nothing of it.
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert TITLES[TEAM] not in client.get("/funding").get_data(as_text=True)

    sign_in(client, "cat@team-b.example")
    for page in pages:
        body = client.get(page).get_data(as_text=True)
        assert TITLES[TEAM] not in body, page
    assert TITLES[SHARED] in client.get(f"/learning/teams/{team}/timeline").get_data(as_text=True)
    assert TITLES[SHARED] in client.get(f"/learning/teams/{team}/export.csv").get_data(as_text=True)
    for page in (f"/learning/reflections/{secret}", f"/learning/reflections/{secret}/versions"):
        assert client.get(page).status_code == 404
    assert client.get(f"/learning/reflections/{secret}/edit").status_code == 404

    client.post("/sign-out", data={"csrf_token": _token(client)})
    sign_in(client, "ann@team-a.example")
    assert TITLES[TEAM] in client.get(f"/learning/teams/{team}/timeline").get_data(as_text=True)
    assert TITLES[TEAM] in client.get("/learning/search?q=lantern").get_data(as_text=True)
    assert TITLES[TEAM] in client.get(f"/learning/teams/{team}/export.csv").get_data(as_text=True)


def _token(client: FlaskClient) -> str:
    html = client.get("/learning/").get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_accounts_without_a_learning_role_are_turned_away(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    runtime.app.accounts.register("pat@provider.example", "Pat", [], "correct-horse-battery")
    settle_all(runtime)
    sign_in(client, "pat@provider.example")
    assert client.get("/learning/").status_code == 403
    assert client.get(f"/learning/teams/{people.team_a}/timeline").status_code == 403
