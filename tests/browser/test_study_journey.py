"""An experiment through its study step and into its next cycle (issue #20, parts 1-3), at
phone and desktop widths, in English and Gaelic, with JavaScript on and off; axe on every
step (Journey.check).

Proposed with funding and a past proposal date; started; numbered observations (one refused
for its date); the locked plan; the prediction amended with a reason; a sense-making
session (refused first without consent for a lived-experience voice); back to running and
making sense again; concluded against the prediction; adapted into cycle 2, which keeps the
funding, dates and question for the team to check."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cairn.domain.clock import today
from tests.browser.harness import DESKTOP, PHONE, Journey, click_label_of, message_in_main

TEAM_MEMBER_EMAIL = "jamie@carrick.example"  # cairn/demo/learning: a Carrick team member


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_experiment_through_study_into_its_next_cycle(journey: Journey, width: int) -> None:
    page, live = journey.page, journey.live
    page.set_viewport_size({"width": width, "height": 900})
    day = today(live.runtime.app.clock)

    def ago(n: int) -> str:
        return (day - timedelta(days=n)).isoformat()

    def main_text() -> str:
        return page.inner_text("main")

    journey.sign_in(TEAM_MEMBER_EMAIL, live.password)
    journey.goto("/learning", "learning-home")
    page.click("main a:text-is('Carrick Community Connections')")
    page.click(f"main a.ds_button:has-text('{journey.t('Propose an experiment')}')")
    journey.check("study-experiment-form")

    # Proposed after the fact, with its funding and planned dates.
    title = f"Tuesday calls {journey.lang}-{journey.mode}-{width}"
    click_label_of(journey, "input[name=kind][value=hypothesis-test]")
    page.fill("#title", title)
    page.fill("#purpose", "People drift away from the lunch club between weeks.")
    page.fill("#question", "Will a Tuesday phone call keep people coming?")
    page.fill("#what_we_try", "A peer worker phones each person every Tuesday.")
    page.fill("#prediction", "Most people keep coming every week.")
    page.fill("#starts_on", ago(14))
    page.fill("#ends_on", ago(-60))
    page.fill("#funding_amount", "9000")
    page.fill("#funder", "Carrick Partnership Learning Fund")
    page.fill("#committed_months", "12")
    page.fill("#proposed_on", ago(20))
    journey.submit()
    page.wait_for_url("**/learning/experiments/*")
    journey.check("study-proposed")

    page.fill("#start-on", ago(14))
    page.click("form[action$='/start'] button[type=submit]")
    message_in_main(
        journey, journey.t("The experiment is running. Add observations as you notice things.")
    )

    # Observations with an author's role and a number; one dated before the start is refused.
    def observe(text: str, on: str, value: str) -> None:
        page.fill("#text", text)
        page.select_option("#role", "peer-worker")
        page.fill("#on", on)
        page.fill("#value", value)
        page.fill("#unit", "people at lunch")
        page.click("form[action$='/observations'] button[type=submit]")
        page.wait_for_load_state()

    observe("Three people came to lunch.", ago(16), "3")
    journey.check("study-observation-with-errors")
    assert journey.t(
        "An observation cannot be dated before the experiment started."
    ) in page.inner_text("#error-summary")
    observe("Three people came to lunch.", ago(10), "3")
    message_in_main(journey, journey.t("Your observation is added."))
    observe("Five people came to lunch.", ago(5), "5")
    message_in_main(journey, journey.t("Your observation is added."))
    assert page.locator("main .cairn-run-chart svg circle").count() == 2

    # The plan is locked while it runs: the edit form shows it without fields.
    page.click("main a[href$='/edit']")
    journey.check("study-locked-form")
    assert "Most people keep coming every week." in page.inner_text(".cairn-locked")
    assert page.locator("#prediction").count() == 0
    page.go_back()

    # Amending the prediction needs a reason; the story keeps the original beside it.
    page.click("main a[href$='/amend']")
    journey.check("study-amend")
    journey.submit()
    journey.check("study-amend-with-errors")
    assert journey.t("Give the reason for the amendment") in page.inner_text("#error-summary")
    page.fill("#prediction", "More than half keep coming every week.")
    page.fill("#reason", "two people moved away")
    journey.submit()
    message_in_main(
        journey, journey.t("The prediction is amended. The original stays in the story beside it.")
    )
    story = main_text()
    assert journey.t("How the plan was amended") in story and "two people moved away" in story
    original = journey.t("The original prediction:") + " Most people keep coming every week."
    assert original in story

    # Making sense: a session, first refused without consent for a lived-experience voice.
    page.click("form[action$='/making-sense'] button[type=submit]")
    message_in_main(journey, journey.t("Time to make sense of it together."))
    journey.check("study-making-sense")
    click_label_of(journey, "input[name=session-roles][value=peer-worker]")
    click_label_of(journey, "input[name=session-roles][value=commissioner]")
    page.fill("#session-notes", "The calls matter more than the lunch itself.")
    click_label_of(journey, "input[name=session-voices][value=person-using-support]")
    page.click("form[action$='/sense-making'] button[type=submit]")
    page.wait_for_load_state()
    journey.check("study-session-with-errors")
    assert journey.t(
        "Confirm that consent was given to share the lived-experience account, "
        "or remove that voice."
    ) in page.inner_text("#error-summary")
    click_label_of(journey, "#session-consent_recorded")
    page.click("form[action$='/sense-making'] button[type=submit]")
    message_in_main(journey, journey.t("The sense-making session is recorded."))
    assert "The calls matter more than the lunch itself." in main_text()

    # Back to running for another look, then making sense again.
    page.fill("#resume-reason", "We want two more weeks of calls before deciding.")
    page.click("form[action$='/resume'] button[type=submit]")
    message_in_main(
        journey,
        journey.t("The experiment is running again. Add observations as you notice things."),
    )
    assert "We want two more weeks of calls before deciding." in main_text()
    page.click("form[action$='/making-sense'] button[type=submit]")
    message_in_main(journey, journey.t("Time to make sense of it together."))
    if width == DESKTOP:  # screenshots() itself takes both widths
        journey.screenshots("study-story")

    # Concluding: the prediction beside what was noticed, then the study questions.
    page.click("main a[href$='/conclude']")
    journey.check("study-conclude")
    if width == DESKTOP:  # screenshots() itself takes both widths
        journey.screenshots("study-conclude")
    study = page.inner_text(".cairn-study")
    assert "More than half keep coming every week." in study
    assert "Three people came to lunch." in study and "Five people came to lunch." in study
    page.fill("#against_prediction", "Five of eight kept coming: more than half, as amended.")
    page.fill("#surprises", "People phoned each other too.")
    page.fill("#learned", "A call in the week keeps the lunch club in mind.")
    click_label_of(journey, "input[name=outcome][value=adapt]")
    page.fill("#reason", "It helps, but one peer worker cannot call everyone.")
    assert page.input_value("#next_question") == "Will a Tuesday phone call keep people coming?"
    page.fill("#next_question", "Will calls shared between two peer workers keep people coming?")
    page.fill("#next_try", "Two peer workers share the Tuesday calls.")
    journey.submit()

    # Cycle 2 opens in its form, with the funding, dates and its own question carried forward.
    page.wait_for_url("**/edit")
    journey.check("study-next-cycle-form")
    if width == DESKTOP:  # screenshots() itself takes both widths
        journey.screenshots("study-next-cycle")
    assert page.input_value("#funding_amount").startswith("9000")
    assert page.input_value("#funder") == "Carrick Partnership Learning Fund"
    assert page.input_value("#committed_months") == "12"
    assert page.input_value("#starts_on") == ago(14)
    assert page.input_value("#question") == (
        "Will calls shared between two peer workers keep people coming?"
    )
    page.fill("#starts_on", ago(0))  # the new cycle's own dates
    page.fill("#ends_on", ago(-90))
    journey.submit()
    message_in_main(journey, journey.t("The experiment is updated."))
    journey.check("study-cycle-2")
    second = page.inner_text("#cycle-2")
    assert "9,000.00" in second and "Two peer workers share the Tuesday calls." in second
    first = page.inner_text("#cycle-1")
    assert "Five of eight kept coming" in first and "People phoned each other too." in first
