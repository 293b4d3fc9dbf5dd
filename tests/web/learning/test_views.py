"""The learning pages as people use them: forms, lifecycle, conflicts and the learning logs."""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.learning.vocabulary import PUBLIC
from cairn.readmodels.learning import queries as q
from tests.support.learning import People, days_ago, experiment, reflection, settle_all
from tests.support.web import csrf_token, sign_in


@pytest.fixture
def ann(client: FlaskClient, people: People) -> FlaskClient:
    sign_in(client, "ann@team-a.example")
    return client


def form_data(client: FlaskClient, path: str, **fields: object) -> dict[str, object]:
    return {"csrf_token": csrf_token(client, path), **fields}


REFLECTION_FORM = {
    "title": "Tea before talk",
    "happened_on": days_ago(3).isoformat(),
    "what_happened": "We met at the day centre kitchen.",
    "what_we_noticed": "People spoke more over the washing up.",
    "what_we_learned": "The kitchen is where people talk.",
    "what_next": "Hold the next session there.",
    "voices": ["unpaid-carer", "practitioner"],
    "consent_recorded": "y",
    "themes": "Loneliness, trust",
    "principles": ["lived-experience"],
    "visibility": "team",
}


def new_reflection(client: FlaskClient, team: UUID, **changes: object) -> tuple[int, str]:
    path = f"/learning/teams/{team}/reflections/new"
    data = form_data(client, path, **{**REFLECTION_FORM, **changes})
    response = client.post(path, data=data, follow_redirects=True)
    return response.status_code, response.get_data(as_text=True)


def test_a_member_records_a_reflection_and_reads_it_back(ann: FlaskClient, people: People) -> None:
    status, html = new_reflection(ann, people.team_a)
    assert status == 200 and "Your reflection is saved" in html
    assert "Tea before talk" in html and "Unpaid carer" in html and "loneliness" in html
    assert "consent recorded" in html
    timeline = ann.get(f"/learning/teams/{people.team_a}/timeline").get_data(as_text=True)
    assert "Tea before talk" in timeline


def test_a_form_with_problems_says_so_and_keeps_what_was_typed(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    head = runtime.app.head()
    status, html = new_reflection(
        ann, people.team_a, consent_recorded="", happened_on="31/02/2026", title="Kept title"
    )
    assert status == 400 and "There is a problem" in html
    assert "YYYY-MM-DD" in html and 'value="Kept title"' in html
    status, html = new_reflection(ann, people.team_a, consent_recorded="")
    assert status == 400 and "consent" in html
    assert "The kitchen is where people talk." in html
    assert runtime.app.head() == head


def test_only_members_may_write_for_a_team(client: FlaskClient, people: People) -> None:
    sign_in(client, "cat@team-b.example")
    status, _html = new_reflection(client, people.team_a)
    assert status == 403


def test_editing_makes_a_new_version_and_history_keeps_the_old(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    done = runtime.app.learning.record_reflection(people.team_a, reflection(), by=people.ann)
    settle_all(runtime)
    path = f"/learning/reflections/{done.id}/edit"
    edit = ann.get(path).get_data(as_text=True)
    assert 'name="version" value="1"' in edit
    data = form_data(ann, path, **{**REFLECTION_FORM, "title": "Better title", "version": "1"})
    html = ann.post(path, data=data, follow_redirects=True).get_data(as_text=True)
    assert "A new version is saved" in html and "Better title" in html
    versions = ann.get(f"/learning/reflections/{done.id}/versions").get_data(as_text=True)
    assert "Version 2" in versions and "Version 1" in versions
    assert "Better title" in versions and "Lifts to the day centre" in versions


def test_two_people_editing_at_once_see_a_conflict_and_nothing_is_lost(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    done = runtime.app.learning.record_reflection(people.team_a, reflection(), by=people.ann)
    settle_all(runtime)
    path = f"/learning/reflections/{done.id}/edit"
    token = csrf_token(ann, path)
    # Bob saves first, from the same version ann is looking at.
    runtime.app.learning.revise_reflection(
        done.id,
        reflection(what_we_learned="Bob's insight about drivers"),
        by=people.bob,
        expected_version=1,
    )
    settle_all(runtime)
    mine = {**REFLECTION_FORM, "what_we_learned": "Ann's insight about kitchens", "version": "1"}
    response = ann.post(path, data={"csrf_token": token, **mine})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved a new version" in html
    assert "Bob&#39;s insight about drivers" in html  # theirs, shown
    assert "Ann&#39;s insight about kitchens" in html  # mine, still in the form
    assert 'name="version" value="2"' in html
    # Saving again is a deliberate choice; both versions stay in the history.
    response = ann.post(path, data={"csrf_token": token, **mine, "version": "2"})
    assert response.status_code == 302
    settle_all(runtime)
    engine = runtime.read_engine
    versions = q.reflection_versions(
        engine, q.reader_of(engine, people.ann), done.id, people.team_a
    )
    assert [v.content.what_we_learned for v in versions if v.content][:2] == [
        "Ann's insight about kitchens",
        "Bob's insight about drivers",
    ]


EXPERIMENT_FORM = {
    "kind": "hypothesis-test",
    "title": "Standing lifts",
    "purpose": "Keep people connected.",
    "question": "Will a standing lift bring people back?",
    "what_we_try": "The same driver every Tuesday.",
    "prediction": "Most come back weekly.",
    "signals": "Stories from people and drivers.",
    "who": "Day centre, drivers",
    "where": "Maybole",
    "starts_on": days_ago(20).isoformat(),
    "ends_on": days_ago(-300).isoformat(),
    "funding_amount": "£12,500",
    "funder": "Carrick Learning Fund",
    "committed_months": "36",
    "visibility": "public",
}


def test_an_experiment_runs_its_whole_lifecycle_on_the_web(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    new = f"/learning/teams/{people.team_a}/experiments/new"
    response = ann.post(new, data=form_data(ann, new, **EXPERIMENT_FORM))
    assert response.status_code == 302
    first = response.headers["Location"].rsplit("/", 1)[-1]
    page = f"/learning/experiments/{first}"
    html = ann.get(page).get_data(as_text=True)
    assert "Standing lifts" in html and "£12,500.00" in html and "36 months" in html

    ann.post(f"{page}/start", data=form_data(ann, page, version="1", on=days_ago(10).isoformat()))
    ann.post(
        f"{page}/observations",
        data=form_data(ann, page, text="Nine people came back", role="practitioner"),
    )
    funding = ann.get("/funding").get_data(as_text=True)
    assert "Standing lifts" in funding and "£12,500" in funding
    ann.post(f"{page}/making-sense", data=form_data(ann, page, version="3"))
    conclude = f"{page}/conclude"
    response = ann.post(
        conclude,
        data=form_data(
            ann,
            conclude,
            version="4",
            outcome="adapt",
            against_prediction="Nine came back, as we said",
            learned="Familiar faces matter",
            reason="Drivers are tired; pay them",
            next_try="Paid drivers from a micro-provider",
        ),
    )
    assert response.status_code == 302
    # Adapting opens the next cycle's form, with the plan carried forward to check.
    location = response.headers["Location"]
    assert location.endswith("/edit")
    second = location.rsplit("/", 2)[-2]
    assert second != first
    story = ann.get(f"/learning/experiments/{second}").get_data(as_text=True)
    assert "Cycle 1" in story and "Cycle 2" in story
    assert "Nine people came back" in story and "Paid drivers from a micro-provider" in story
    changes = ann.get(f"/learning/teams/{people.team_a}/changes").get_data(as_text=True)
    assert "Drivers are tired; pay them" in changes and "Adapt" in changes
    board = ann.get(f"/learning/teams/{people.team_a}/experiments").get_data(as_text=True)
    assert board.index("Proposed") < board.index("Concluded")
    funding = ann.get("/funding").get_data(as_text=True)
    assert "Familiar faces matter" in funding


def test_a_bad_experiment_form_keeps_what_was_typed(ann: FlaskClient, people: People) -> None:
    new = f"/learning/teams/{people.team_a}/experiments/new"
    data = form_data(ann, new, **{**EXPERIMENT_FORM, "funding_amount": "lots", "prediction": ""})
    response = ann.post(new, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "funding amount in pounds" in html
    assert 'value="Standing lifts"' in html


def test_the_timeline_filters_in_place_and_as_a_full_page(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    learning = runtime.app.learning
    learning.record_reflection(
        people.team_a, reflection(title="About lifts", themes=("transport",)), by=people.ann
    )
    learning.record_reflection(
        people.team_a,
        reflection(
            title="About carers",
            themes=("carers",),
            principles=("fair-work",),
            voices=("unpaid-carer",),
            consent_recorded=True,
            happened_on=days_ago(200),
        ),
        by=people.ann,
    )
    settle_all(runtime)
    base = f"/learning/teams/{people.team_a}/timeline"
    full = ann.get(f"{base}?theme=carers").get_data(as_text=True)
    assert "<html" in full and "About carers" in full and "About lifts" not in full
    partial = ann.get(f"{base}?principle=fair-work", headers={"HX-Request": "true"})
    html = partial.get_data(as_text=True)
    assert "<html" not in html and "About carers" in html and "About lifts" not in html
    by_voice = ann.get(f"{base}?voice=unpaid-carer").get_data(as_text=True)
    assert "About carers" in by_voice and "About lifts" not in by_voice
    recent = ann.get(f"{base}?since={days_ago(30).isoformat()}").get_data(as_text=True)
    assert "About lifts" in recent and "About carers" not in recent
    odd = ann.get(f"{base}?since=banana&experiment=nope")
    assert odd.status_code == 200 and "YYYY-MM-DD" in odd.get_data(as_text=True)


def test_a_timeline_filtered_by_experiment_follows_the_whole_chain(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    learning = runtime.app.learning
    first = learning.propose_experiment(people.team_a, experiment(), by=people.ann).id
    learning.start_experiment(first, by=people.ann)
    learning.begin_sense_making(first, by=people.ann)
    second = learning.conclude_experiment(
        first,
        "adapt",
        against_prediction="w",
        learned="x",
        reason="y",
        next_try="z",
        by=people.ann,
    ).id
    learning.record_reflection(
        people.team_a, reflection(title="On cycle two", experiment_id=second), by=people.ann
    )
    learning.record_reflection(people.team_a, reflection(title="Unrelated"), by=people.ann)
    settle_all(runtime)
    html = ann.get(f"/learning/teams/{people.team_a}/timeline?experiment={first}").get_data(
        as_text=True
    )
    assert "On cycle two" in html and "Unrelated" not in html


def test_themes_and_principles_views_show_where_we_speak_and_where_we_are_quiet(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    runtime.app.learning.record_reflection(
        people.team_a,
        reflection(themes=("transport", "trust"), principles=("fair-work",)),
        by=people.ann,
    )
    settle_all(runtime)
    themes = ann.get(f"/learning/teams/{people.team_a}/themes").get_data(as_text=True)
    assert "transport" in themes and "trust" in themes and "1 reflection" in themes
    principles = ann.get(f"/learning/teams/{people.team_a}/principles").get_data(as_text=True)
    quiet = principles.split("<h2>Where we are quiet</h2>")[1]
    assert "Fair work" not in quiet and "Human rights" in quiet and "Climate" in quiet
    assert "Fair work" in principles.split("<h2>Where we are quiet</h2>")[0]


def test_export_as_csv_and_a_printable_report(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    runtime.app.learning.record_reflection(
        people.team_a, reflection(title="=HYPERLINK(danger)"), by=people.ann
    )
    settle_all(runtime)
    response = ann.get(f"/learning/teams/{people.team_a}/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert "'=HYPERLINK(danger)" in text  # spreadsheet formulas are neutralised
    report = ann.get(f"/learning/teams/{people.team_a}/report").get_data(as_text=True)
    assert "Learning report: Team A" in report and "=HYPERLINK(danger)" in report
    assert "cairn.css" in report


def test_search_finds_what_the_reader_may_see(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    runtime.app.learning.record_reflection(
        people.team_a, reflection(what_happened="The lanterns at Culzean"), by=people.ann
    )
    settle_all(runtime)
    html = ann.get("/learning/search?q=lantern").get_data(as_text=True)
    assert "1 result you can read" in html and "Lifts to the day centre" in html
    partial = ann.get("/learning/search?q=lantern", headers={"HX-Request": "true"})
    assert "<html" not in partial.get_data(as_text=True)
    assert "0 results" in ann.get("/learning/search?q=zebra").get_data(as_text=True)


# -- teams and members ------------------------------------------------------------------------


def test_an_admin_forms_a_team_and_creates_an_account_for_a_new_member(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    sign_in(client, "admin@cic.example")
    path = "/learning/teams/new"
    response = client.post(
        path, data=form_data(client, path, name="Team D", lead_email="dan@team-c.example")
    )
    assert response.status_code == 302
    team = response.headers["Location"].rsplit("/", 1)[-1]
    path = "/learning/accounts/new"
    response = client.post(
        path,
        data=form_data(
            client,
            path,
            display_name="Fiona (peer worker)",
            email="fiona@team-d.example",
            password="a-long-first-password",
            team_id=team,
        ),
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Fiona (peer worker)" in html and "Team D" in html
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, "fiona@team-d.example", "a-long-first-password")
    assert "Team D" in client.get("/learning/").get_data(as_text=True)


def test_a_lead_adds_a_member_by_email_and_a_member_cannot(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    sign_in(client, "ann@team-a.example")
    page = f"/learning/teams/{people.team_a}"
    response = client.post(
        f"{page}/members", data=form_data(client, page, email="dan@team-c.example")
    )
    assert response.status_code == 302
    assert "Dan" in client.get(page).get_data(as_text=True)
    response = client.post(
        f"{page}/members", data=form_data(client, page, email="nobody@x.example")
    )
    assert response.status_code == 400 and "nobody@x.example" in response.get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, "bob@team-a.example")
    assert "Add someone to the team" not in client.get(page).get_data(as_text=True)
    response = client.post(
        f"{page}/members", data=form_data(client, page, email="eve@nowhere.example")
    )
    assert response.status_code == 400 and "team lead" in response.get_data(as_text=True)


def test_a_lead_chooses_who_the_team_shares_with(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    sign_in(client, "ann@team-a.example")
    page = f"/learning/teams/{people.team_a}"
    response = client.post(
        f"{page}/sharing",
        data=form_data(client, page, teams=[str(people.team_c)], version="3"),
    )
    assert response.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert re.search(r"can be read by:\s*Team C", html)


def test_the_funding_page_is_public_and_lists_public_funded_experiments(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    learning = runtime.app.learning
    done = learning.propose_experiment(people.team_a, experiment(visibility=PUBLIC), by=people.ann)
    learning.propose_experiment(people.team_a, experiment(title="Not started"), by=people.ann)
    learning.start_experiment(done.id, by=people.ann)
    settle_all(runtime)
    html = client.get("/funding").get_data(as_text=True)
    assert "Community lifts" in html and "£18,000" in html
    assert "Carrick Learning Fund" in html and "36 months" in html
    assert "Not started" not in html


def test_search_marks_the_words_and_narrows_by_the_filters(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    learning = runtime.app.learning
    learning.record_reflection(
        people.team_a,
        reflection(title="Buses", what_happened="The buses <b>stop</b> at six.", themes=("rural",)),
        by=people.ann,
    )
    learning.propose_experiment(
        people.team_a,
        experiment(title="A later bus", what_we_try="Ask for a later bus."),
        by=people.ann,
    )
    settle_all(runtime)
    html = ann.get("/learning/search?q=bus").get_data(as_text=True)
    assert "2 results you can read" in html
    assert "The <mark>buses</mark> &lt;b&gt;stop&lt;/b&gt; at six." in html  # escaped, marked
    only = ann.get("/learning/search?q=bus&kind=experiment").get_data(as_text=True)
    assert "1 result you can read" in only and "A later bus" in only
    assert '<option value="experiment" selected>' in only
    themed = ann.get("/learning/search?q=bus&theme=rural").get_data(as_text=True)
    assert "1 result you can read" in themed and "Buses" in themed
    nobody = ann.get(f"/learning/search?q=bus&team={people.team_b}").get_data(as_text=True)
    assert "0 results" in nobody
    # Nonsense in a filter is "any", never an error.
    assert ann.get("/learning/search?q=bus&kind=x&team=y&principle=z").status_code == 200
