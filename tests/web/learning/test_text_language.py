"""Learning texts keep the language they were written in, and the pages that show them say so
(`lang`), so a screen reader reads an English reflection on a Gàidhlig page in English and a
Gàidhlig observation on an English page in Gàidhlig (WCAG 3.1.2)."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from tests.support.learning import People, days_ago, experiment, reflection, settle_all
from tests.support.web import csrf_token, sign_in

GAELIC_TITLE = "Tì mus bruidhinn sinn"
GAELIC_LEARNED = "Se an cidsin far am bi daoine a bruidhinn."
GAELIC_OBSERVATION = "Thàinig naoinear air ais."


@pytest.fixture
def ann(client: FlaskClient, people: People) -> FlaskClient:
    sign_in(client, "ann@team-a.example")
    return client


def in_gaelic(client: FlaskClient) -> None:
    client.post(
        "/language", data={"lang": "gd", "next": "/", "csrf_token": csrf_token(client, "/")}
    )


def chosen_language(page: str) -> str | None:
    select = re.search(r'<select[^>]*id="language".*?</select>', page, re.S)
    assert select is not None, "the form asks which language it is written in"
    chosen = re.search(
        r'<option selected value="([a-z]{2})"|<option value="([a-z]{2})" selected', select.group(0)
    )
    return None if chosen is None else (chosen.group(1) or chosen.group(2))


def post_reflection(client: FlaskClient, team: UUID, **fields: str) -> Any:
    """A short reflection sent from the form, with `fields` as typed."""
    path = f"/learning/teams/{team}/reflections/new"
    data = {
        "csrf_token": csrf_token(client, path),
        "title": "Tea first",
        "happened_on": days_ago(2).isoformat(),
        "what_happened": "We met.",
        "what_we_learned": "Tea helps.",
        "visibility": "team",
        **fields,
    }
    return client.post(path, data=data)


def test_the_question_starts_on_the_language_the_person_is_using(
    ann: FlaskClient, people: People
) -> None:
    new = f"/learning/teams/{people.team_a}/reflections/new"
    assert chosen_language(ann.get(new).get_data(as_text=True)) == "en"
    in_gaelic(ann)
    assert chosen_language(ann.get(new).get_data(as_text=True)) == "gd"
    proposing = f"/learning/teams/{people.team_a}/experiments/new"
    assert chosen_language(ann.get(proposing).get_data(as_text=True)) == "gd"


def test_a_gaelic_reflection_is_marked_gaelic_on_an_english_page(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    response = post_reflection(
        ann,
        people.team_a,
        title=GAELIC_TITLE,
        what_happened="Choinnich sinn sa chidsin.",
        what_we_learned=GAELIC_LEARNED,
        language="gd",
    )
    assert response.status_code == 302
    page = ann.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="en"' in page
    assert f'<span lang="gd">{GAELIC_TITLE}</span>' in page
    assert f'<p class="cairn-prose" lang="gd">{GAELIC_LEARNED}</p>' in page

    timeline = ann.get(f"/learning/teams/{people.team_a}/timeline").get_data(as_text=True)
    assert f'<span lang="gd">{GAELIC_TITLE}</span>' in timeline
    assert f'<span lang="gd">{GAELIC_LEARNED}</span>' in timeline

    # Editing keeps it: the form opens on the language it was written in.
    edit = response.headers["Location"] + "/edit"
    assert chosen_language(ann.get(edit).get_data(as_text=True)) == "gd"


def test_an_unknown_language_is_refused_with_a_message(ann: FlaskClient, people: People) -> None:
    response = post_reflection(ann, people.team_a, title="Tea first", language="xx")
    assert response.status_code == 400
    assert "Tea first" in response.get_data(as_text=True)  # nothing typed is lost


def test_reflections_from_before_the_question_are_english_on_a_gaelic_page(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    done = runtime.app.learning.record_reflection(
        people.team_a, reflection(title="Tea before talk"), by=people.ann
    )
    settle_all(runtime)
    in_gaelic(ann)
    page = ann.get(f"/learning/reflections/{done.id}").get_data(as_text=True)
    assert '<html lang="gd"' in page
    assert '<span lang="en">Tea before talk</span>' in page


def _running(runtime: Runtime, people: People) -> UUID:
    learning = runtime.app.learning
    first = learning.propose_experiment(people.team_a, experiment(), by=people.ann).id
    learning.start_experiment(first, by=people.ann, on=days_ago(5))
    settle_all(runtime)
    return first


def test_observations_and_conclusions_carry_the_language_they_were_written_in(
    ann: FlaskClient, runtime: Runtime, people: People
) -> None:
    first = _running(runtime, people)
    page = f"/learning/experiments/{first}"
    observed = ann.post(
        f"{page}/observations",
        data={
            "csrf_token": csrf_token(ann, page),
            "text": GAELIC_OBSERVATION,
            "role": "peer-worker",
            "language": "gd",
        },
    )
    assert observed.status_code == 302
    runtime.app.learning.begin_sense_making(first, by=people.ann)
    settle_all(runtime)
    conclude = f"{page}/conclude"
    concluded = ann.post(
        conclude,
        data={
            "csrf_token": csrf_token(ann, conclude),
            "version": "4",
            "outcome": "adopt",
            "against_prediction": "Mar a bha dùil.",
            "learned": GAELIC_LEARNED,
            "reason": "Bha e ag obair.",
            "language": "gd",
        },
    )
    assert concluded.status_code == 302

    html = ann.get(page).get_data(as_text=True)
    assert f'<span lang="gd">{GAELIC_OBSERVATION}</span>' in html
    assert f'<span lang="gd">{GAELIC_LEARNED}</span>' in html
    # The plan was written in English, and stays marked so.
    assert re.search(r'<h1 class="ds_page-header__title" lang="en">', html)
    report = ann.get(f"/learning/teams/{people.team_a}/report").get_data(as_text=True)
    assert f'<span lang="gd">{GAELIC_OBSERVATION}</span>' in report
