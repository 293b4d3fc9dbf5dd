"""The study step, amendments and carried-forward cycles as people use them on the web:
each form, what it shows, and bad input refused with a message and nothing saved."""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.vocabulary import MAKING_SENSE, RUNNING
from cairn.readmodels.learning import queries as q
from tests.support.conversation import date_boxes
from tests.support.learning import People, days_ago, experiment, settle_all
from tests.support.web import csrf_token, sign_in


@pytest.fixture
def ann(client: FlaskClient, people: People) -> FlaskClient:
    sign_in(client, "ann@team-a.example")
    return client


def post(client: FlaskClient, path: str, form_page: str, **fields: object) -> tuple[int, str]:
    data = {"csrf_token": csrf_token(client, form_page), **fields}
    response = client.post(path, data=data)
    return response.status_code, response.get_data(as_text=True)


def running(runtime: Runtime, people: People, **changes: object) -> UUID:
    learning = runtime.app.learning
    done = learning.propose_experiment(
        people.team_a, experiment(**changes), by=people.ann, proposed_on=days_ago(40)
    )
    learning.start_experiment(done.id, by=people.ann, on=days_ago(30))
    settle_all(runtime)
    return done.id


def making_sense(runtime: Runtime, people: People) -> UUID:
    x = running(runtime, people)
    runtime.app.learning.add_observation(
        x, "Two came back", by=people.bob, role="peer-worker", on=days_ago(20)
    )
    runtime.app.learning.begin_sense_making(x, by=people.ann, on=days_ago(3))
    settle_all(runtime)
    return x


def stage_of(runtime: Runtime, x: UUID) -> str:
    return str(runtime.app.load(Experiment, x).stage)


def test_concluding_shows_the_prediction_beside_what_was_noticed(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    x = making_sense(runtime, people)
    page = f"/learning/experiments/{x}/conclude"
    html = ann.get(page).get_data(as_text=True)
    start = html.index('id="study-title"')
    study = html[start : html.index("<form", start)]
    assert "Most people come back weekly." in study and "Two came back" in study
    assert "Peer worker" in study  # who noticed it, by role
    assert "What happened, against what we predicted" in html

    status, html = post(
        ann, page, page, version="4", outcome="adopt", learned="Faces matter", reason="It works"
    )
    assert status == 400 and "Enter what happened against the prediction." in html
    assert stage_of(runtime, x) == MAKING_SENSE

    status, _ = post(
        ann,
        page,
        page,
        version="4",
        outcome="adopt",
        against_prediction="Two of eleven, not most.",
        surprises="Drivers became friends.",
        learned="Faces matter",
        reason="It works",
    )
    assert status == 302
    settle_all(runtime)
    story = ann.get(f"/learning/experiments/{x}").get_data(as_text=True)
    assert "Against the prediction:" in story and "Two of eleven, not most." in story
    assert "What surprised us:" in story and "Drivers became friends." in story


def test_a_sense_making_session_is_recorded_and_bad_input_saves_nothing(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    x = making_sense(runtime, people)
    page = f"/learning/experiments/{x}"
    path = f"{page}/sense-making"
    good = {
        "session-on": days_ago(1).isoformat(),
        "session-roles": ["peer-worker", "commissioner"],
        "session-notes": "We read every observation aloud.",
        "session-voices": ["unpaid-carer"],
        "session-consent_recorded": "y",
    }
    versions = runtime.app.load(Experiment, x).version
    for changes, message in [
        ({"session-on": days_ago(-1).isoformat()}, "The date of the session cannot be in the"),
        ({"session-roles": []}, "Choose the roles of who took part."),
        ({"session-consent_recorded": ""}, "Confirm that consent was given"),
        ({"session-notes": ""}, "Write the notes of the session"),
    ]:
        status, html = post(ann, path, page, **{**good, **changes})
        assert status == 400 and message in html, message
        assert runtime.app.load(Experiment, x).version == versions

    status, _ = post(ann, path, page, **good)
    assert status == 302
    settle_all(runtime)
    story = ann.get(page).get_data(as_text=True)
    assert "Making sense of it together" in story
    assert "We read every observation aloud." in story
    assert "Peer worker, Commissioner" in story and "Unpaid carer" in story


def test_an_experiment_goes_back_to_running_with_a_reason(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    x = making_sense(runtime, people)
    page = f"/learning/experiments/{x}"
    version = str(runtime.app.load(Experiment, x).version)
    status, html = post(ann, f"{page}/resume", page, **{"resume-version": version})
    assert status == 400 and "Give the reason it goes back to running" in html
    assert stage_of(runtime, x) == MAKING_SENSE

    status, _ = post(
        ann,
        f"{page}/resume",
        page,
        **{"resume-version": version, "resume-reason": "We need another month."},
    )
    assert status == 302 and stage_of(runtime, x) == RUNNING
    settle_all(runtime)
    story = ann.get(page).get_data(as_text=True)
    assert "Went back to running on" in story and "We need another month." in story
    assert "Add an observation" in story


def test_once_running_the_edit_form_locks_the_plan(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    x = running(runtime, people)
    edit = f"/learning/experiments/{x}/edit"
    html = ann.get(edit).get_data(as_text=True)
    assert "Locked while it runs" in html
    assert 'name="prediction"' not in html and 'name="what_we_try"' not in html
    assert "Most people come back weekly." in html  # shown, not editable

    fields = {
        "version": "2",
        "kind": "system-probe",  # sent anyway (an old tab): the lock keeps what it was
        "title": "Community lifts (Maybole)",
        "purpose": "Keep people connected to the day centre.",
        "question": "Will volunteer lifts bring people back?",
        "prediction": "Everyone comes back.",
        "funding_amount": "18000",
        "funder": "Carrick Learning Fund",
        "committed_months": "36",
        "visibility": "team",
        "language": "en",
    }
    status, _ = post(ann, edit, edit, **fields)
    assert status == 302
    content = runtime.app.load(Experiment, x).content
    assert content.title == "Community lifts (Maybole)"
    assert content.prediction == "Most people come back weekly." and content.kind != "system-probe"


def test_amending_the_prediction_needs_a_reason_and_the_story_keeps_the_original(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    x = running(runtime, people)
    amend = f"/learning/experiments/{x}/amend"
    html = ann.get(amend).get_data(as_text=True)
    assert "Most people come back weekly." in html  # the plan as it stands, to change

    plan = {
        "version": "2",
        "what_we_try": "Volunteer drivers booked by phone.",
        "prediction": "Half come back weekly.",
        "language": "en",
    }
    status, html = post(ann, amend, amend, **plan)
    assert status == 400 and "Give the reason for the amendment" in html
    assert runtime.app.load(Experiment, x).content.prediction == "Most people come back weekly."

    status, _ = post(
        ann,
        amend,
        amend,
        **plan,
        reason="the drivers can manage half",
        on=days_ago(2).isoformat(),
    )
    assert status == 302
    settle_all(runtime)
    story = ann.get(f"/learning/experiments/{x}").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", "", story)
    day = days_ago(2)
    amended_on = f"{day.day} {day.strftime('%B')} {day.year}"
    assert f"Prediction amended on {amended_on} because the drivers can manage half" in text
    assert "The original prediction: Most people come back weekly." in text
    assert "Half come back weekly." in text


def test_a_proposal_date_may_be_past_but_not_future(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    new = f"/learning/teams/{people.team_a}/experiments/new"
    fields = {
        "kind": "hypothesis-test",
        "title": "Standing lifts",
        "purpose": "Keep people connected.",
        "question": "Will a standing lift help?",
        "what_we_try": "A weekly lift.",
        "prediction": "People come back.",
        "visibility": "team",
        "language": "en",
    }
    status, html = post(ann, new, new, **fields, proposed_on=days_ago(-3).isoformat())
    assert status == 400 and "The date it was proposed cannot be in the future." in html
    assert 'value="Standing lifts"' in html
    settle_all(runtime)
    assert "Standing lifts" not in ann.get(f"/learning/teams/{people.team_a}/experiments").get_data(
        as_text=True
    )

    response = ann.post(
        new,
        data={"csrf_token": csrf_token(ann, new), **fields, "proposed_on": "2026-09-01"},
    )
    assert response.status_code == 302
    story = ann.get(response.headers["Location"]).get_data(as_text=True)
    assert "Proposed 1 Sept 2026" in story or "Proposed 1 Sep 2026" in story


def test_observations_carry_a_role_and_a_number_drawn_as_a_run_chart_and_can_be_corrected(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    x = running(runtime, people)
    page = f"/learning/experiments/{x}"
    path = f"{page}/observations"
    good = {"text": "Four came back", "role": "peer-worker", "value": "4", "unit": "people"}
    for changes, message in [
        ({"on": days_ago(31).isoformat()}, "An observation cannot be dated before the"),
        ({"unit": ""}, "Say what the number counts"),
        ({"value": "a few"}, "Enter the number as digits"),
        ({"role": ""}, "Choose your role"),
    ]:
        status, html = post(ann, path, page, **{**good, **changes})
        assert status == 400 and message in html, message
    assert runtime.app.load(Experiment, x).observations == {}

    for day, number in ((20, "4"), (10, "7"), (5, "6")):
        fields = {**good, "value": number, "on": days_ago(day).isoformat()}
        assert post(ann, path, page, **fields)[0] == 302
    settle_all(runtime)
    story = ann.get(page).get_data(as_text=True)
    assert "(Peer worker)" in story
    chart = story[story.index('<figure class="cairn-run-chart"') : story.index("</figure>")]
    assert "<svg" in chart and 'role="img"' in chart and chart.count("<circle") == 3
    assert "the median is 6" in chart  # said in words, and the table holds each number
    assert re.findall(r"<td>(\d+)</td>", chart) == ["4", "7", "6"]
    assert "target" not in chart.lower()
    report = ann.get(f"/learning/teams/{people.team_a}/report").get_data(as_text=True)
    assert '7 <span lang="en">people</span>' in report

    first = next(iter(runtime.app.load(Experiment, x).observations))
    correct = f"{page}/observations/{first}/correct"
    assert 'value="4"' in ann.get(correct).get_data(as_text=True)
    status, html = post(ann, correct, correct, **{**good, "on": days_ago(35).isoformat()})
    assert status == 400 and "before the experiment started" in html
    status, _ = post(ann, correct, correct, **{**good, "text": "Five came back", "value": "5"})
    assert status == 302
    settle_all(runtime)
    story = ann.get(page).get_data(as_text=True)
    assert "Five came back" in story
    assert "Corrected: 1 earlier version" in story and "Four came back" in story


def test_adapting_opens_the_next_cycle_with_funding_dates_and_question_carried_forward(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    x = running(runtime, people, starts_on=days_ago(30), ends_on=days_ago(-60))
    runtime.app.learning.begin_sense_making(x, by=people.ann)
    settle_all(runtime)
    conclude = f"/learning/experiments/{x}/conclude"
    assert "Will volunteer lifts bring people back?" in ann.get(conclude).get_data(as_text=True)
    response = ann.post(
        conclude,
        data={
            "csrf_token": csrf_token(ann, conclude),
            "version": "3",
            "outcome": "adapt",
            "against_prediction": "Few came back",
            "learned": "People will not ask",
            "reason": "Offer it instead",
            "next_question": "Will a lift offered in person bring them back?",
            "next_try": "A standing weekly lift",
        },
    )
    assert response.status_code == 302
    edit = ann.get(response.headers["Location"]).get_data(as_text=True)
    assert "Edit the experiment" in edit and "Locked while it runs" not in edit
    assert 'value="18000.00"' in edit or 'value="18000"' in edit
    assert 'value="Carrick Learning Fund"' in edit and 'value="36"' in edit
    assert f'value="{days_ago(30).isoformat()}"' in edit
    assert f'value="{days_ago(-60).isoformat()}"' in edit
    assert "Will a lift offered in person bring them back?" in edit


def test_the_conclusion_can_set_when_the_team_looks_at_the_decision_again(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    """Part 8's review date, on the conclude form: saved with the conclusion, and a date
    that is not in the future refuses both (nothing half-written)."""
    x = running(runtime, people)
    runtime.app.learning.begin_sense_making(x, by=people.ann)
    settle_all(runtime)
    conclude = f"/learning/experiments/{x}/conclude"
    form = {
        "csrf_token": csrf_token(ann, conclude),
        "version": "3",
        "outcome": "adopt",
        "against_prediction": "As we predicted",
        "learned": "People come back when asked",
        "reason": "Most came back weekly",
    }
    refused = ann.post(conclude, data={**form, **date_boxes("review_on", days_ago(1))})
    assert refused.status_code == 400
    assert "must be in the future" in refused.get_data(as_text=True)
    settle_all(runtime)
    assert runtime.app.load(Experiment, x).stage == MAKING_SENSE
    assert q.review_of(runtime.read_engine, x) is None
    saved = ann.post(conclude, data={**form, **date_boxes("review_on", days_ago(-90))})
    assert saved.status_code == 302
    settle_all(runtime)
    review = q.review_of(runtime.read_engine, x)
    assert review is not None and review.due_on == days_ago(-90)
