"""Experiments in the lens (issue #20, part 4), at phone and desktop widths, in English and
Gaelic, with JavaScript on and off; axe on every step (Journey.check).

An experiment is proposed with its themes, a principle and a lived-experience voice (refused
first without consent); its page shows them; the themes page counts it and lists it as an
experiment; the timeline, filtered by its theme, lists it beside the reflections."""

from __future__ import annotations

import pytest

from tests.browser.harness import DESKTOP, PHONE, Journey, click_label_of

TEAM_MEMBER_EMAIL = "jamie@carrick.example"  # cairn/demo/learning: a Carrick team member


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_experiment_shows_its_themes_and_is_on_the_themes_page(
    journey: Journey, width: int
) -> None:
    page, live = journey.page, journey.live
    page.set_viewport_size({"width": width, "height": 900})
    journey.sign_in(TEAM_MEMBER_EMAIL, live.password)
    journey.goto("/learning", "learning-home")
    page.click("main a:text-is('Carrick Community Connections')")
    page.click(f"main a.ds_button:has-text('{journey.t('Propose an experiment')}')")
    journey.check("lens-experiment-form")

    title = f"Evening sitters {journey.lang}-{journey.mode}-{width}"
    theme = f"respite-{journey.lang}-{journey.mode}-{width}"
    click_label_of(journey, "input[name=kind][value=system-probe]")
    page.fill("#title", title)
    page.fill("#purpose", "Carers get no evenings to themselves.")
    page.fill("#question", "What happens when a sitter comes on Thursday evenings?")
    page.fill("#what_we_try", "A sitter from the carers' centre every Thursday.")
    click_label_of(journey, "input[name=voices][value=unpaid-carer]")
    page.fill("#themes", f"Carers, {theme}")
    click_label_of(journey, "input[name=principles][value=fair-work]")
    journey.submit()
    journey.check("lens-experiment-without-consent")
    assert journey.t(
        "Confirm that consent was given to share the lived-experience account, "
        "or remove that voice."
    ) in page.inner_text("#error-summary")
    click_label_of(journey, "#consent_recorded")
    journey.submit()
    page.wait_for_url("**/learning/experiments/*")
    journey.check("lens-experiment")
    details = page.inner_text("main .ds_metadata")
    assert theme in details and "carers" in details
    assert journey.t("Fair work") in details and journey.t("Unpaid carer") in details

    journey.goto("/learning", "learning-home-again")
    page.click("main a:text-is('Carrick Community Connections')")
    page.click(f".cairn-subnav a:text-is('{journey.t('Themes')}')")
    journey.check("lens-themes")
    mine = page.locator("main .cairn-themes > li", has_text=theme)
    assert mine.locator("h2").inner_text() == theme
    assert title in mine.inner_text()
    assert mine.locator("a", has_text=title).count() == 1
    if width == DESKTOP:  # screenshots() itself takes both widths
        journey.screenshots("lens-themes")

    mine.locator("h2 a").click()
    page.wait_for_load_state()
    journey.check("lens-timeline-by-theme")
    entries = page.locator("#timeline .cairn-entry")
    assert entries.count() == 1
    assert title in entries.first.inner_text()
    assert page.locator("#timeline .cairn-entry--experiment").count() == 1

    # The other pages that read both kinds: the whole timeline, the principles, the report.
    journey.goto(page.url.removeprefix(live.url).split("?")[0], "lens-timeline")
    assert page.locator("#timeline .cairn-entry--experiment", has_text=title).count() == 1
    page.click(f".cairn-subnav a:text-is('{journey.t('Principles')}')")
    page.wait_for_load_state()
    journey.check("lens-principles")
    fair_work = page.locator("main .cairn-themes > li", has_text=journey.t("Fair work"))
    assert page.locator("main .cairn-themes a", has_text=title).count() == 1
    assert journey.t("Experiment:") in fair_work.inner_text()
    page.click(f".cairn-subnav a:text-is('{journey.t('Printable report')}')")
    page.wait_for_load_state()
    journey.check("lens-report")
    assert title in page.inner_text("main")
