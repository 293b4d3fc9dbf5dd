"""The partnership lead on the web: reading across the teams (only what is shared), forming
teams and giving them members, recording funding; and experiments that build on others,
shown both ways to those who may read both ends."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.roles import Role
from cairn.domain.learning.vocabulary import PUBLIC, SHARED, SIGNED_IN, TEAM
from cairn.readmodels.funding import queries as fq
from cairn.readmodels.learning import queries as q
from tests.support.learning import People, experiment, reflection, settle_all
from tests.support.web import PASSWORD, csrf_token, sign_in

LEAD_EMAIL = "pat@partnership.example"
# One reflection of each team at each visibility: "<team> <visibility>".
VISIBILITIES = (TEAM, SHARED, SIGNED_IN, PUBLIC)


@pytest.fixture
def partnership_lead(runtime: Runtime, people: People) -> UUID:
    done = runtime.app.accounts.register(LEAD_EMAIL, "Pat", [Role.PARTNERSHIP_LEAD], PASSWORD)
    settle_all(runtime)
    return done.id


@pytest.fixture
def learning(runtime: Runtime, people: People) -> dict[str, UUID]:
    """Teams A and B each write a reflection and an experiment at every visibility; neither
    shares with another team, so 'shared' reaches only the partnership leads."""
    ids: dict[str, UUID] = {}
    for team, by, name in ((people.team_a, people.ann, "A"), (people.team_b, people.cat, "B")):
        for visibility in VISIBILITIES:
            ids[f"{name} {visibility}"] = runtime.app.learning.record_reflection(
                team,
                reflection(title=f"Reflection {name} {visibility}", visibility=visibility),
                by=by,
            ).id
            ids[f"x {name} {visibility}"] = runtime.app.learning.propose_experiment(
                team,
                experiment(title=f"Experiment {name} {visibility}", visibility=visibility),
                by=by,
            ).id
    settle_all(runtime)
    return ids


def titles(html: str, kind: str) -> set[str]:
    return set(re.findall(rf"{kind} [AB] [a-z-]+", html))


def everything_but_team_only(kind: str) -> set[str]:
    return {f"{kind} {team} {v}" for team in "AB" for v in VISIBILITIES if v != TEAM}


def test_a_lead_reads_across_two_teams_only_what_is_shared(
    client: FlaskClient, runtime: Runtime, learning: dict[str, UUID], partnership_lead: UUID
) -> None:
    reader = q.reader_of(runtime.read_engine, partnership_lead)
    assert reader.partnership and not reader.member_of
    rows = q.timeline(runtime.read_engine, reader, None)
    assert {r.title for r in rows} == everything_but_team_only("Reflection")
    experiments = q.experiments_across(runtime.read_engine, reader)
    assert {x.title for x in experiments} == everything_but_team_only("Experiment")
    # Search applies the same rule (the reflections' words: "We asked people why ...").
    found = {hit.title for hit in runtime.learning_index.search("asked", reader)}
    assert found == everything_but_team_only("Reflection")

    response = client.post(
        "/sign-in",
        data={"email": LEAD_EMAIL, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"] == "/learning/partnership"  # where a lead starts
    response = client.get("/learning/partnership")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert titles(html, "Reflection") == everything_but_team_only("Reflection")
    assert titles(html, "Experiment") == everything_but_team_only("Experiment")
    assert "Team A" in html and "Team B" in html
    # Names stay inside the team: the lead is shown roles, and never a team-only item's page.
    assert "Ann" not in html and "Cat" not in html
    assert client.get(f"/learning/experiments/{learning['x A team']}").status_code == 404
    assert client.get(f"/learning/reflections/{learning['A team']}").status_code == 404
    assert client.get(f"/learning/reflections/{learning['A shared']}").status_code == 200


def test_the_partnership_view_filters_by_team_theme_principle_and_time(
    client: FlaskClient, runtime: Runtime, people: People, partnership_lead: UUID
) -> None:
    app = runtime.app
    app.learning.record_reflection(
        people.team_a,
        reflection(title="Rural lifts", themes=("rural-access",), visibility=SHARED),
        by=people.ann,
    )
    app.learning.record_reflection(
        people.team_b,
        reflection(
            title="Carers at night",
            themes=("carers",),
            principles=("fair-work",),
            visibility=SHARED,
            happened_on=date(2025, 1, 10),
        ),
        by=people.cat,
    )
    settle_all(runtime)
    sign_in(client, LEAD_EMAIL)
    html = client.get("/learning/partnership").get_data(as_text=True)
    assert "Rural lifts" in html and "Carers at night" in html
    assert "rural-access" in html and "carers" in html  # the themes across the teams
    only_b = client.get(f"/learning/partnership?team={people.team_b}").get_data(as_text=True)
    assert "Carers at night" in only_b and "Rural lifts" not in only_b
    by_theme = client.get("/learning/partnership?theme=rural-access").get_data(as_text=True)
    assert "Rural lifts" in by_theme and "Carers at night" not in by_theme
    by_principle = client.get("/learning/partnership?principle=fair-work").get_data(as_text=True)
    assert "Carers at night" in by_principle and "Rural lifts" not in by_principle
    by_time = client.get("/learning/partnership?until=2025-12-31").get_data(as_text=True)
    assert "Carers at night" in by_time and "Rural lifts" not in by_time


def test_a_team_member_is_refused_the_partnership_view_and_reads_no_more_than_before(
    client: FlaskClient, runtime: Runtime, people: People, learning: dict[str, UUID]
) -> None:
    sign_in(client, "cat@team-b.example")
    assert client.get("/learning/partnership").status_code == 403
    cat = q.reader_of(runtime.read_engine, people.cat)
    assert not cat.partnership
    readable = {r.title for r in q.timeline(runtime.read_engine, cat, people.team_a)}
    assert readable == {"Reflection A signed-in", "Reflection A public"}


def test_the_administrator_without_a_team_is_pointed_to_the_partnership_view(
    client: FlaskClient, people: People
) -> None:
    sign_in(client, "admin@cic.example")
    html = client.get("/learning/").get_data(as_text=True)
    assert "You are not in a team yet" not in html
    assert 'href="/learning/partnership"' in html
    assert client.get("/learning/partnership").status_code == 200


def test_a_lead_forms_a_team_and_creates_an_account_but_cannot_make_a_lead(
    client: FlaskClient, runtime: Runtime, people: People, partnership_lead: UUID
) -> None:
    sign_in(client, LEAD_EMAIL)
    assert 'href="/learning/partnership"' in client.get("/learning/").get_data(as_text=True)
    path = "/learning/teams/new"
    response = client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "name": "Team D", "purpose": ""},
    )
    assert response.status_code == 302
    team = UUID(response.headers["Location"].rsplit("/", 1)[-1])
    path = "/learning/accounts/new"
    form = client.get(path).get_data(as_text=True)
    assert "partnership_lead" not in form  # only a CIC administrator is offered it
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "display_name": "Fiona",
            "email": "fiona@team-d.example",
            "password": "a-long-first-password",
            "team_id": str(team),
            "partnership_lead": "y",  # ignored: the field is not there for a lead
        },
    )
    assert response.status_code == 302
    page = f"/learning/teams/{team}"
    response = client.post(
        f"{page}/members",
        data={"csrf_token": csrf_token(client, page), "email": "dan@team-c.example"},
    )
    assert response.status_code == 302
    members = {m.email for m in q.team_members(runtime.read_engine, team)}
    assert members == {"fiona@team-d.example", "dan@team-c.example"}
    fiona = runtime.app.accounts.account_id_for("fiona@team-d.example")
    assert fiona is not None
    assert not q.reader_of(runtime.read_engine, fiona).partnership


def test_an_admin_makes_someone_a_partnership_lead(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    sign_in(client, "admin@cic.example")
    page = f"/admin/accounts/{people.eve}"
    html = client.get(page).get_data(as_text=True)
    assert "Make them a partnership lead" in html
    response = client.post(
        f"{page}/partnership-lead", data={"csrf_token": csrf_token(client, page)}
    )
    assert response.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Partnership lead" in html and "Make them a partnership lead" not in html
    assert q.reader_of(runtime.read_engine, people.eve).partnership
    # The new account form offers the role to a CIC administrator.
    assert "partnership_lead" in client.get("/learning/accounts/new").get_data(as_text=True)


def test_a_lead_records_funding(
    client: FlaskClient, runtime: Runtime, people: People, partnership_lead: UUID
) -> None:
    sign_in(client, LEAD_EMAIL)
    assert client.get("/funding/record").status_code == 200
    response = client.post(
        "/funding/record/funds/new",
        data={
            "csrf_token": csrf_token(client, "/funding/record/funds/new"),
            "funder": "Ayrshire ADP",
            "name": "Learning fund",
            "starts_on-day": "1",
            "starts_on-month": "4",
            "starts_on-year": "2026",
            "ends_on-day": "31",
            "ends_on-month": "3",
            "ends_on-year": "2029",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200 and "The fund is recorded" in response.get_data(as_text=True)
    [fund] = fq.funds(runtime.read_engine)
    assert fund.funder == "Ayrshire ADP"
    sign_in(client, "ann@team-a.example")
    assert client.get("/funding/record").status_code == 403


# -- builds on --------------------------------------------------------------------------


def test_an_experiment_builds_on_another_teams_and_both_stories_say_so(
    client: FlaskClient,
    runtime: Runtime,
    people: People,
    learning: dict[str, UUID],
    partnership_lead: UUID,
) -> None:
    sign_in(client, "cat@team-b.example")
    path = f"/learning/teams/{people.team_b}/experiments/new"
    form = client.get(path).get_data(as_text=True)
    # Offered: what Cat may read of team A (signed-in, public) and team B's own; never A's
    # team-only or shared experiments.
    assert "Experiment A public (Team A), cycle 1" in form
    assert "Experiment A team" not in form and "Experiment A shared" not in form
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "kind": "system-probe",
            "title": "Lifts at night",
            "purpose": "See who travels after dark.",
            "question": "Who needs a lift after six?",
            "what_we_try": "An evening driver.",
            "visibility": SHARED,
            "language": "en",
            "builds_on": [str(learning["x A public"])],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    later = UUID(response.headers["Location"].rsplit("/", 1)[-1])
    story = client.get(f"/learning/experiments/{later}").get_data(as_text=True)
    assert "It builds on" in story and "Experiment A public" in story and "Team A" in story

    # The earlier one's story says what builds on it, to those who may read both ends.
    earlier = f"/learning/experiments/{learning['x A public']}"
    sign_in(client, LEAD_EMAIL)
    html = client.get(earlier).get_data(as_text=True)
    assert "Built on by" in html and "Lifts at night" in html
    partnership = client.get("/learning/partnership").get_data(as_text=True)
    assert re.search(
        r"Lifts at night.*\(Team B\) builds on .*Experiment A public.*\(Team A\)", partnership
    )
    # Team A's member may not read team B's 'shared' experiment: no sign of it.
    sign_in(client, "ann@team-a.example")
    html = client.get(earlier).get_data(as_text=True)
    assert "Built on by" not in html and "Lifts at night" not in html
    # Nor may the public.
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    assert "Lifts at night" not in client.get(earlier).get_data(as_text=True)


def test_a_link_to_an_experiment_the_reader_cannot_read_is_never_shown_and_kept_on_edit(
    client: FlaskClient, runtime: Runtime, people: People, learning: dict[str, UUID]
) -> None:
    app = runtime.app
    # Team B's experiment builds on team A's team-only one (named by the domain, as if the
    # link were made before team A narrowed it) and on a public one.
    later = learning["x B public"]
    app.learning.set_builds_on(later, [learning["x A team"], learning["x A public"]], by=people.cat)
    settle_all(runtime)
    sign_in(client, "cat@team-b.example")
    story = client.get(f"/learning/experiments/{later}").get_data(as_text=True)
    assert "Experiment A public" in story and "Experiment A team" not in story
    # Editing (changing only the title) keeps the link Cat cannot see.
    path = f"/learning/experiments/{later}/edit"
    row = q.experiment(runtime.read_engine, q.reader_of(runtime.read_engine, people.cat), later)
    assert row is not None
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "version": str(row.version),
            "kind": row.kind,
            "title": "Experiment B public, renamed",
            "purpose": row.purpose,
            "question": row.question,
            "what_we_try": row.what_we_try,
            "prediction": row.prediction,
            "visibility": PUBLIC,
            "language": "en",
            "builds_on": [str(learning["x A public"])],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    settle_all(runtime)
    assert set(q.builds_on_ids(runtime.read_engine, later)) == {
        learning["x A team"],
        learning["x A public"],
    }
    # The public reads the public link only.
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    story = client.get(f"/learning/experiments/{later}").get_data(as_text=True)
    assert "Experiment A public" in story and "Experiment A team" not in story
    public_links = q.links_across(runtime.read_engine, q.reader_of(runtime.read_engine, None))
    assert {link.builds_on_id for link in public_links} == {learning["x A public"]}
