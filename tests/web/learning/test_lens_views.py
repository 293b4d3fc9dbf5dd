"""Experiments in the lens (issue #20, part 4): their themes, principles and voices on the
forms and pages; the timeline, themes and principles pages, the filters, the CSV export and
the printable report cover both kinds."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.web.learning.export import COLUMNS
from tests.support.learning import People, days_ago, experiment, reflection, settle_all
from tests.support.web import csrf_token, sign_in


@pytest.fixture
def ann(client: FlaskClient, people: People) -> FlaskClient:
    sign_in(client, "ann@team-a.example")
    return client


def _rows(client: FlaskClient, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


EXPERIMENT_FORM = {
    "kind": "hypothesis-test",
    "title": "Sitters for carers",
    "purpose": "A break for carers.",
    "question": "Will a regular sitter give carers an evening?",
    "what_we_try": "A sitter every Thursday.",
    "prediction": "Most carers take the evening.",
    "visibility": "team",
    "themes": "Carers, Respite",
    "principles": ["fair-work", "lived-experience"],
    "voices": ["unpaid-carer", "practitioner"],
    "consent_recorded": "y",
}


def test_an_experiment_is_proposed_and_edited_with_its_lens(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    new = f"/learning/teams/{people.team_a}/experiments/new"
    form = ann.get(new).get_data(as_text=True)
    assert 'name="themes"' in form and 'name="consent_recorded"' in form
    response = ann.post(new, data={"csrf_token": csrf_token(ann, new), **EXPERIMENT_FORM})
    assert response.status_code == 302
    page = response.headers["Location"]
    html = ann.get(page).get_data(as_text=True)
    assert 'cairn-theme">carers<' in html and 'cairn-theme">respite<' in html
    assert "Involvement of lived experience; Fair work" in html  # the vocabulary's order
    assert '<span class="cairn-voice">Unpaid carer</span>' in html
    # Running: the plan is locked, the lens is still edited (and a clash is still caught).
    experiment_id = UUID(page.rsplit("/", 1)[-1])
    runtime.app.learning.start_experiment(experiment_id, by=people.ann)
    settle_all(runtime)
    edit = f"{page}/edit"
    edited = ann.get(edit).get_data(as_text=True)
    assert 'value="carers, respite"' in edited and "Locked while it runs" in edited
    changed = {
        **EXPERIMENT_FORM,
        "themes": "trust",
        "voices": ["practitioner"],
        "consent_recorded": "",
        "prediction": "Something else",  # locked: put back as it was
        "version": "2",
    }
    response = ann.post(edit, data={"csrf_token": csrf_token(ann, edit), **changed})
    assert response.status_code == 302
    settle_all(runtime)
    html = ann.get(page).get_data(as_text=True)
    assert 'cairn-theme">trust<' in html and 'cairn-theme">respite<' not in html
    assert '<span class="cairn-voice">Unpaid carer</span>' not in html
    assert "Most carers take the evening." in html
    stale = ann.post(edit, data={"csrf_token": csrf_token(ann, edit), **changed, "themes": "x"})
    assert stale.status_code == 409


def test_lived_experience_without_consent_is_refused_on_the_form(
    ann: FlaskClient, people: People
) -> None:
    new = f"/learning/teams/{people.team_a}/experiments/new"
    data = {"csrf_token": csrf_token(ann, new), **EXPERIMENT_FORM, "consent_recorded": ""}
    response = ann.post(new, data=data)
    assert response.status_code == 400
    assert "Confirm that consent was given" in response.get_data(as_text=True)


def _world(runtime: Runtime, people: People) -> dict[str, UUID]:
    learning = runtime.app.learning
    ids = {}
    for title, themes, days in (
        ("Carers recent", ("carers",), 10),
        ("Carers last year", ("carers",), 400),
        ("Lifts recent", ("transport",), 5),
    ):
        ids[title] = learning.record_reflection(
            people.team_a,
            reflection(title=title, themes=themes, happened_on=days_ago(days)),
            by=people.ann,
        ).id
    for title, themes, days in (
        ("Sitters now", ("carers",), 30),
        ("Sitters long ago", ("carers",), 500),
        ("Lifts trial", ("transport",), 20),
    ):
        ids[title] = learning.propose_experiment(
            people.team_a,
            experiment(title=title, themes=themes, principles=("fair-work",)),
            by=people.ann,
            proposed_on=days_ago(days),
        ).id
    done = ids["Sitters long ago"]
    learning.start_experiment(done, by=people.ann, on=days_ago(490))
    learning.begin_sense_making(done, by=people.ann, on=days_ago(460))
    learning.conclude_experiment(
        done,
        "abandon",
        against_prediction="No sitters.",
        learned="x",
        reason="y",
        by=people.ann,
        on=days_ago(450),
    )
    settle_all(runtime)
    return ids


def test_the_timeline_lists_and_filters_both_kinds(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    _world(runtime, people)
    base = f"/learning/teams/{people.team_a}/timeline"
    html = ann.get(base).get_data(as_text=True)
    assert "3 reflections and 3 experiments" in html
    assert html.count('class="cairn-entry__kind">Experiment<') == 3
    assert html.count('class="cairn-entry__kind">Reflection<') == 3
    carers = ann.get(  # the list alone: the page's filters name every experiment
        f"{base}?theme=carers&since={days_ago(100).isoformat()}", headers={"HX-Request": "true"}
    )
    text = carers.get_data(as_text=True)
    assert "Carers recent" in text and "Sitters now" in text
    for absent in ("Carers last year", "Sitters long ago", "Lifts"):
        assert absent not in text
    only = ann.get(f"{base}?kind=experiment", headers={"HX-Request": "true"})
    text = only.get_data(as_text=True)
    assert "0 reflections and 3 experiments" in text and "Carers recent" not in text


def test_the_themes_and_principles_pages_count_and_list_both_kinds(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    ids = _world(runtime, people)
    themes = ann.get(f"/learning/teams/{people.team_a}/themes").get_data(as_text=True)
    assert "2 reflections and 2 experiments" in themes  # carers
    assert f'Experiment: <a href="/learning/experiments/{ids["Sitters now"]}">' in themes
    assert f'Reflection: <a href="/learning/reflections/{ids["Carers recent"]}">' in themes
    principles = ann.get(f"/learning/teams/{people.team_a}/principles").get_data(as_text=True)
    speaks = principles.split("<h2>Where we are quiet</h2>")[0]
    assert "Fair work" in speaks and "0 reflections and 3 experiments" in speaks


def test_an_export_with_a_theme_and_a_date_has_only_what_matches_of_both_kinds(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    _world(runtime, people)
    since = days_ago(100).isoformat()
    rows = _rows(ann, f"/learning/teams/{people.team_a}/export.csv?theme=carers&since={since}")
    assert [(r["Kind"], r["Title"]) for r in rows] == [
        ("Reflection", "Carers recent"),
        ("Experiment", "Sitters now"),
    ]
    everything = _rows(ann, f"/learning/teams/{people.team_a}/export.csv")
    assert len(everything) == 6
    report = ann.get(f"/learning/teams/{people.team_a}/report?theme=carers&since={since}")
    html = report.get_data(as_text=True)
    assert "Carers recent" in html and "Sitters now" in html
    assert "Sitters long ago" not in html and "Carers last year" not in html


def _full_experiment(runtime: Runtime, people: People) -> UUID:
    """One cycle with every field filled, taken through every step, adapted into a second."""
    learning = runtime.app.learning
    first = learning.propose_experiment(
        people.team_a,
        experiment(
            title="@Sitters",  # a spreadsheet would run it as a formula
            who="Carers' centre",
            where="Girvan",
            signals="What carers tell us.",
            starts_on=days_ago(60),
            ends_on=days_ago(-60),
            funding_amount=Decimal("4000"),
            themes=("carers",),
            principles=("fair-work",),
            voices=("unpaid-carer",),
            consent_recorded=True,
        ),
        by=people.ann,
        proposed_on=days_ago(70),
    ).id
    learning.start_experiment(first, by=people.ann, on=days_ago(60))
    learning.add_observation(
        first,
        "Four carers went out",
        by=people.ann,
        role="practitioner",
        on=days_ago(50),
        value=Decimal(4),
        unit="carers",
    )
    learning.amend_prediction(
        first,
        what_we_try="A sitter every Thursday.",
        prediction="Half take the evening.",
        signals="What carers tell us.",
        reason="Fewer sitters than we hoped",
        by=people.ann,
        on=days_ago(45),
    )
    learning.begin_sense_making(first, by=people.ann, on=days_ago(40))
    learning.hold_sense_making(
        first,
        roles=("practitioner", "unpaid-carer"),
        notes="Evenings matter more than hours.",
        voices=("unpaid-carer",),
        consent_recorded=True,
        by=people.ann,
        on=days_ago(39),
    )
    learning.resume_experiment(first, reason="One more month", by=people.ann, on=days_ago(38))
    learning.begin_sense_making(first, by=people.ann, on=days_ago(20))
    learning.conclude_experiment(
        first,
        "adapt",
        against_prediction="Half did, as amended.",
        surprises="Carers slept.",
        learned="A break is rest, not outings.",
        reason="Offer rest.",
        next_try="Sitters for rest.",
        by=people.ann,
        on=days_ago(10),
    )
    settle_all(runtime)
    return first


def test_every_column_of_a_full_experiment_is_filled_and_none_runs_as_a_formula(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    first = _full_experiment(runtime, people)
    rows = _rows(ann, f"/learning/teams/{people.team_a}/export.csv?kind=experiment")
    [row] = [r for r in rows if r["Link"].endswith(str(first))]
    experiment_columns = [str(c.header) for c in COLUMNS if c.experiment is not None]
    assert [name for name in experiment_columns if not row[name]] == []
    assert row["Title"] == "'@Sitters"
    assert row["What we noticed"].startswith(days_ago(50).isoformat() + ", Practitioner: Four")
    assert row["What we noticed"].endswith("(4 carers)")
    amended = row["Amendments of the prediction"]
    assert (
        "because Fewer sitters than we hoped" in amended and "→ Half take the evening." in amended
    )
    assert "Unpaid carer" in row["Sense-making sessions"]
    assert row["Decision"] == "Adapt" and row["Next cycle"].startswith("http")
    assert row["Voices"] == "Unpaid carer" and row["Consent recorded"] == "Yes"
    assert row["Funding (pounds)"] == "4000.00" and row["Cycle"] == "1"
    reflection_only = [str(c.header) for c in COLUMNS if c.experiment is None]
    assert all(row[name] == "" for name in reflection_only)


def test_every_column_of_a_reflection_is_its_own_or_empty(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    runtime.app.learning.record_reflection(
        people.team_a,
        reflection(
            title="=HYPERLINK(danger)",
            what_we_noticed="n",
            what_next="x",
            voices=("family-member",),
            consent_recorded=True,
            district="KA26",
            signal="Evenings",
        ),
        by=people.ann,
    )
    settle_all(runtime)
    [row] = _rows(ann, f"/learning/teams/{people.team_a}/export.csv")
    assert row["Title"] == "'=HYPERLINK(danger)"
    assert row["Voices"] == "Family member" and row["Postcode district"] == "KA26"
    experiment_only = [str(c.header) for c in COLUMNS if c.reflection is None]
    assert all(row[name] == "" for name in experiment_only)


def test_the_report_tells_an_experiments_lens(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    _full_experiment(runtime, people)
    html = ann.get(f"/learning/teams/{people.team_a}/report").get_data(as_text=True)
    section: Any = html.split("<h2>Experiments</h2>")[1].split("<h2>Reflections</h2>")[0]
    assert "@Sitters" in section and "carers" in section and "Fair work" in section
    assert "0 reflections and 2 experiments" in html  # fair-work, both cycles


def test_a_concluded_experiment_changes_only_its_lens(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    ids = _world(runtime, people)
    done = ids["Sitters long ago"]
    page = f"/learning/experiments/{done}"
    assert "Edit its themes, principles and voices" in ann.get(page).get_data(as_text=True)
    edit = f"{page}/edit"
    form = ann.get(edit).get_data(as_text=True)
    assert 'name="themes"' in form and 'name="title"' not in form
    sent = {"themes": "respite", "principles": ["outcomes"], "title": "Renamed", "version": "4"}
    response = ann.post(edit, data={"csrf_token": csrf_token(ann, edit), **sent})
    assert response.status_code == 302
    settle_all(runtime)
    html = ann.get(page).get_data(as_text=True)
    assert 'cairn-theme">respite<' in html and "Sitters long ago" in html and "Renamed" not in html
