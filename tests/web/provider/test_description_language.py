"""A description keeps the language it was written in, and every page that shows it says so
(`lang`), so a screen reader reads an English description on a Gàidhlig page in English."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from tests.support.directory import approve, catch_up, listed_provider
from tests.support.journeys import STEPS, post, start

GAELIC_DESCRIPTION = "Cuideachadh aig an taigh ann an Inbhir Àir."


def in_gaelic(client: FlaskClient) -> None:
    post(client, "/language", {"lang": "gd", "next": "/"})


def selected_language(page: str) -> str | None:
    select = re.search(r'<select[^>]*id="description_language".*?</select>', page, re.S)
    assert select is not None
    chosen = re.search(
        r'<option selected value="([a-z]{2})"|<option value="([a-z]{2})" selected', select.group(0)
    )
    return None if chosen is None else (chosen.group(1) or chosen.group(2))


def test_the_question_starts_on_the_language_the_applicant_is_using(client: FlaskClient) -> None:
    start(client)
    assert selected_language(client.get("/apply/about").get_data(as_text=True)) == "en"
    in_gaelic(client)
    assert selected_language(client.get("/apply/about").get_data(as_text=True)) == "gd"


def test_a_gaelic_description_is_marked_gaelic_on_an_english_page(
    runtime: Runtime, client: FlaskClient
) -> None:
    start(client)
    for step, data in STEPS.items():
        if step == "about":
            data = {**data, "description": GAELIC_DESCRIPTION, "description_language": "gd"}
        assert post(client, f"/apply/{step}", data).status_code == 302
    post(client, "/apply/check", {})
    provider_id = runtime.app.directory.provider_for_email("hello@carrick.example")
    assert provider_id is not None
    approve(runtime, provider_id)
    catch_up(runtime)

    page = client.get(f"/providers/{provider_id}").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert f'<div class="cairn-description" lang="gd"><p>{GAELIC_DESCRIPTION}</p>' in page


def test_descriptions_from_before_the_question_are_english_on_a_gaelic_page(
    runtime: Runtime, client: FlaskClient
) -> None:
    provider_id = listed_provider(runtime, description="Home help around Ayr.")
    in_gaelic(client)
    page = client.get(f"/providers/{provider_id}").get_data(as_text=True)
    assert '<html lang="gd"' in page
    assert '<div class="cairn-description" lang="en"><p>Home help around Ayr.</p>' in page


def test_a_language_that_is_not_one_is_refused_and_nothing_is_saved(client: FlaskClient) -> None:
    start(client)
    data = {**STEPS["about"], "description_language": "xx"}
    response = post(client, "/apply/about", data)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
