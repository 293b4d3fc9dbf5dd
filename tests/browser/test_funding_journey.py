"""Recording funding and reading it back, as a partnership lead and as the public: a
three-year fund allocated to two tiers, committed to an experiment across two of its cycles,
spend recorded, then /funding and its CSV; a commitment to work that is not public is counted
there without being named. In English and Gaelic, JavaScript on and off, at 375 and 1280 px."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from shutil import copyfile

from cairn.domain.clock import today
from cairn.domain.funding.years import financial_year
from tests.browser.harness import DESKTOP, PHONE, SCREENSHOTS, Journey, fill_date_boxes

SHOTS = Path("/work/measure/shots/funding")
LIFTS = "Community lifts to the Maybole day centre"  # cairn/demo/learning/carrick.py
HIDDEN = "A carers' corner at the GP surgery"  # team-only in the demo (leith.py)
# Tiers 1 to 4 are the demo's (cairn/demo/learning/funding.py).
RUNS = {("en", "js"): 5, ("en", "no-js"): 7, ("gd", "js"): 9, ("gd", "no-js"): 11}


def fill_date(journey: Journey, field: str, day: date) -> None:
    fill_date_boxes(journey.page, field, day)


def choose(journey: Journey, select: str, containing: str) -> None:
    """Pick the option whose words contain `containing`, as a person reads the list."""
    option = journey.page.locator(f"{select} option", has_text=containing).first
    journey.page.select_option(select, value=option.get_attribute("value"))


def check_both_widths(journey: Journey, step: str) -> None:
    """axe at the desktop width the journey runs at, and again at a phone's."""
    journey.check(step)
    journey.page.set_viewport_size({"width": PHONE, "height": 900})
    journey.check(f"{step}-phone")
    journey.page.set_viewport_size({"width": DESKTOP, "height": 900})


def keep_shots(journey: Journey, name: str) -> None:
    journey.screenshots(name)
    if journey.js:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for width in ("phone", "desktop"):
            shot = SCREENSHOTS / f"{name}-{journey.lang}-{width}.png"
            copyfile(shot, SHOTS / shot.name)


def keep_parts(journey: Journey, name: str, selectors: dict[str, str]) -> None:
    """Close-ups of parts of a long page at both widths, to look at (a full page is too tall
    to read)."""
    if not journey.js:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in (("phone", PHONE), ("desktop", DESKTOP)):
        journey.page.set_viewport_size({"width": width, "height": 900})
        for part, selector in selectors.items():
            path = SHOTS / f"{name}-{part}-{journey.lang}-{label}.png"
            journey.page.locator(selector).first.screenshot(path=str(path))
    journey.page.set_viewport_size({"width": DESKTOP, "height": 900})


def test_record_a_fund_commit_it_and_read_it_on_funding(journey: Journey) -> None:
    page, live = journey.page, journey.live
    run = RUNS[(journey.lang, journey.mode)]
    suffix = f"{journey.lang}-{journey.mode}"
    year = financial_year(today(live.runtime.app.clock))
    journey.sign_in(live.admin_email, live.password)
    journey.goto("/funding/record", "funding-record")

    # Two tiers of support (numbered per run: the four runs share one record).
    journey.goto("/funding/record/tiers", "funding-tiers")
    for number, name in ((run, "Universal and preventative"), (run + 1, "Early help")):
        page.fill("#number", str(number))
        page.fill("#name", f"{name} {suffix}")
        journey.submit("form[action$='/funding/record/tiers']")
        journey.check("funding-tier-saved")

    # A three-year fund, in day, month and year boxes.
    fund = f"Test and learn fund {suffix}"
    journey.goto("/funding/record/funds/new", "funding-new-fund")
    journey.submit()
    journey.check("funding-new-fund-errors")
    assert journey.t("Enter the funder") in page.inner_text("#error-summary")
    page.fill("#funder", "North Lanarkshire ADP")
    page.fill("#name", fund)
    fill_date(journey, "starts_on", date(year, 4, 1))
    fill_date(journey, "ends_on", date(year + 3, 3, 31))
    page.click("label[for='restricted']")
    journey.submit()
    page.wait_for_url("**/funding/record/funds/*")
    check_both_widths(journey, "funding-fund")

    # Allocated to two tiers; a negative amount is refused and nothing saved.
    allocate = "form[action$='/allocations']"
    choose(journey, "#allocation-tier", f"{run}. Universal")
    page.fill("#allocation-amount", "-5000")
    journey.submit(allocate)
    journey.check("funding-allocation-negative")
    assert "£0" in page.inner_text("#error-summary")
    for tier, amount in ((f"{run}. Universal", "30000"), (f"{run + 1}. Early help", "£20,000")):
        choose(journey, "#allocation-tier", tier)
        page.fill("#allocation-amount", amount)
        journey.submit(allocate)
        journey.check("funding-allocated")
    allocations = page.inner_text("#allocations ~ table")
    assert "£30,000" in allocations and "£20,000" in allocations
    keep_shots(journey, "funding-fund")

    # Committed to the lifts experiment across two of its cycles, and to hidden work.
    commitments = []
    for cycle, tier, amount, months in ((1, run, "36000", "36"), (2, run + 1, "9000", "12")):
        journey.goto("/funding/record/commitments/new", "funding-new-commitment")
        choose(
            journey,
            "#experiment",
            journey.t(
                "%(title)s (%(team)s), cycle %(n)s",
                title=LIFTS,
                team="Carrick Community Connections",
                n=cycle,
            ),
        )
        choose(journey, "#tier", f"{tier}. ")
        fill_date(journey, "starts_on", date(year, 4, 1))
        page.fill("#months", months)
        choose(journey, "#fund_1", fund)
        page.fill("#amount_1", amount)
        journey.submit()
        page.wait_for_url("**/funding/record/commitments/*")
        journey.check("funding-commitment")
        commitments.append(page.url)
    journey.goto("/funding/record/commitments/new", "funding-new-commitment")
    choose(journey, "#experiment", HIDDEN)
    choose(journey, "#tier", f"{run + 1}. ")
    fill_date(journey, "starts_on", date(year, 4, 1))
    page.fill("#months", "12")
    choose(journey, "#fund_1", fund)
    page.fill("#amount_1", "4000")
    journey.submit()
    page.wait_for_url("**/funding/record/commitments/*")

    # Spend on the second cycle, above its commitment: recorded, and shown as an overspend.
    page.goto(commitments[1])
    page.fill("#spend-amount", "9500")
    fill_date(journey, "spend-on", today(live.runtime.app.clock))
    journey.submit("form[action$='/spend']")
    check_both_widths(journey, "funding-spend")
    assert "£500" in page.inner_text("main")
    keep_shots(journey, "funding-commitment")

    # The public page: the fund by year and tier, the experiment as one row, hidden work
    # counted but not named.
    journey.goto("/funding", "funding")
    main = page.inner_text("main")
    assert f"North Lanarkshire ADP: {fund}" in main
    assert f"{run}. Universal and preventative {suffix}" in main
    assert LIFTS in main and HIDDEN not in main
    assert page.locator("main tr", has_text=LIFTS).count() == 1
    assert page.locator(".cairn-funding-cycles li").first.is_visible()
    assert page.locator("main svg.cairn-bars__bar").count() > 0
    check_both_widths(journey, "funding-page")
    keep_shots(journey, "funding-page")
    keep_parts(
        journey,
        "funding-page",
        {"year": "section.cairn-funding-year", "experiments": "#experiments + table"},
    )

    # And the same in the CSV.
    body = page.request.get(f"{live.url}/funding/years.csv").text()
    rows = list(csv.DictReader(io.StringIO(body)))
    ours = [r for r in rows if r["fund"] == fund]
    assert {r["available"] for r in ours if r["financial_year"].startswith(str(year))} == {
        "50000.00"
    }
    experiments = page.request.get(f"{live.url}/funding/experiments.csv").text()
    assert HIDDEN not in experiments
    [hidden] = [r for r in csv.DictReader(io.StringIO(experiments)) if r["published"] == "false"]
    assert int(hidden["commitments"]) >= 1 and float(hidden["committed"]) >= 4000
