"""Back and Forward through a search, the way a daughter in Ayr would use it (issue 16): search
by words and postcode, open a provider, press Back and find the same form and results, as a
whole styled page; the same after ticking a filter; chosen filters as tags that remove
themselves; at phone width the results come first with the filters folded away; and the
"Report a problem" form's errors shown with JavaScript on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.harness import (
    DESKTOP,
    PHONE,
    AxeReport,
    Journey,
    LiveApp,
    axe_violations,
    describe,
    new_context,
    t,
)

SHOTS = Path("/work/shots/history")
NAMES = "#search-results a.ds_search-result__link"


def _shot(page: Page, name: str) -> None:
    """A screenshot for people to look at (outside the repository, when that folder exists)."""
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _names(page: Page) -> list[str]:
    return [name.strip() for name in page.locator(NAMES).all_inner_texts()]


def _wait_for_results(page: Page, js: bool, fragment: str) -> None:
    """The address holds the search (pushed by htmx, or the form's own GET)."""
    page.wait_for_url(f"**{fragment}**")
    if js:
        page.wait_for_function("() => !document.querySelector('#search-results.htmx-request')")


def _assert_whole_search_page(page: Page, q: str, postcode: str, step: str) -> None:
    """Not a bare fragment: the site header, the styles and the filled form are all there."""
    assert page.locator("header.ds_site-header").count() == 1, f"{step}: no site header"
    assert page.locator("#search-form").count() == 1, f"{step}: no search form"
    assert page.input_value("#q") == q, f"{step}: the words are lost"
    assert page.input_value("#postcode") == postcode, f"{step}: the postcode is lost"
    styled = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Roboto" in styled or "Helvetica" in styled, f"{step}: unstyled ({styled})"


def _search(journey: Journey, q: str, postcode: str) -> None:
    page = journey.page
    page.fill("#q", q)
    page.fill("#postcode", postcode)
    if journey.js:
        # The live search: htmx asks as you type, and puts the search in the address bar.
        page.dispatch_event("#postcode", "input")
    else:
        page.click("#search-form .cairn-search__main button[type=submit]")
    _wait_for_results(page, journey.js, f"postcode={postcode}")


def test_back_from_a_profile_shows_the_same_search_page(journey: Journey) -> None:
    page = journey.page
    journey.goto("/search", "search")
    _search(journey, "shopping", "KA10")
    assert "q=shopping" in page.url
    found = _names(page)
    assert "Troon Meals at Home" in found
    searched_at = page.url

    page.click(f"{NAMES} >> text=Troon Meals at Home")
    page.wait_for_url("**/providers/**")
    assert page.inner_text("main h1").strip() == "Troon Meals at Home"

    page.go_back()
    page.wait_for_load_state()
    assert page.url == searched_at
    _assert_whole_search_page(page, "shopping", "KA10", "back")
    assert _names(page) == found
    journey.check("search-after-back")

    page.go_forward()
    page.wait_for_url("**/providers/**")
    assert page.inner_text("main h1").strip() == "Troon Meals at Home"

    # The profile's own "Back to search" goes to the same search, filled in.
    page.click("a.ds_back-link")
    page.wait_for_url("**/search?**")
    _assert_whole_search_page(page, "shopping", "KA10", "back-to-search link")
    assert _names(page) == found
    if journey.js and journey.lang == "en":
        _shot(page, f"search-after-back-{page.viewport_size['width']}")  # type: ignore[index]


def _tick(journey: Journey, box: str) -> None:
    page = journey.page
    page.click(f"label[for='{box[1:]}']")
    if not journey.js:
        page.click("#search-form .cairn-search__filters button[type=submit]")
    _wait_for_results(page, journey.js, "service=shopping-errands")


def test_back_after_ticking_a_filter_restores_the_form_and_results(journey: Journey) -> None:
    page = journey.page
    box = "#f-service-shopping-errands"
    journey.goto("/search?q=help", "search-words")
    before = _names(page)
    before_count = page.inner_text("#results-count").strip()
    _tick(journey, box)
    ticked = _names(page)
    assert ticked != before and page.is_checked(box)

    page.go_back()
    page.wait_for_function("() => !location.search.includes('service=')")
    page.wait_for_load_state()
    _assert_whole_search_page(page, "help", "", "back after a tick")
    assert not page.is_checked(box), "Back leaves the filter ticked"
    assert _names(page) == before
    assert page.inner_text("#results-count").strip() == before_count

    page.go_forward()
    page.wait_for_url("**service=shopping-errands**")
    # Forward reloads the whole page: wait for the new page's box rather than reading the old
    # one while it is replaced (the wait fails, as the assertion did, if it never comes back).
    page.wait_for_function(f"() => document.querySelector('{box}')?.checked === true")
    assert page.is_checked(box)
    assert _names(page) == ticked


def test_a_chosen_filter_is_a_tag_that_removes_it(journey: Journey) -> None:
    page = journey.page
    journey.goto("/search?q=help&service=shopping-errands&service=companionship", "tags")
    tags = page.locator("#chosen-filters .ds_facet")
    assert tags.count() == 2
    label = journey.t("Remove the “%(label)s” filter", label=journey.t("Shopping and errands"))
    page.click(f"#chosen-filters a:has-text('{label}')")
    page.wait_for_function("() => !location.search.includes('shopping-errands')")
    page.wait_for_selector("#chosen-filters .ds_facet >> nth=0")
    assert page.locator("#chosen-filters .ds_facet").count() == 1
    assert not page.is_checked("#f-service-shopping-errands")
    assert page.is_checked("#f-service-companionship")
    assert page.input_value("#q") == "help"
    journey.check("tags-after-removing-one")
    if journey.js and journey.lang == "en":
        _shot(page, "search-tags-1280")

    page.click("#chosen-filters a.ds_facets__clear-button")
    page.wait_for_function("() => !location.search.includes('service=')")
    page.wait_for_load_state()
    assert page.locator("#chosen-filters").count() == 0
    assert page.input_value("#q") == "help"


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def phone(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = new_context(browser, lang="en", js=request.param, width=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_phone_shows_results_first_and_the_filters_open_on_request(
    phone: Page, live: LiveApp
) -> None:
    page = phone
    page.goto(f"{live.url}/search?q=help")
    first = page.locator(NAMES).first.bounding_box()
    assert first is not None and first["y"] < 1400, f"the first result is {first} down"
    box = page.locator("#f-service-companionship")
    assert not box.is_visible(), "the filters start folded away on a phone"
    summary = page.locator("#filters > summary")
    assert summary.inner_text().strip() == t("en", "Filter results")
    assert summary.bounding_box()["y"] < first["y"]  # type: ignore[index]
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE, f"{wide}px wide at {PHONE}px"
    js = page.evaluate("document.documentElement.classList.contains('js-enabled')") is True
    _shot(page, f"search-375-{'js' if js else 'nojs'}-closed")

    summary.click()
    assert box.is_visible(), "Filter results opens the filters"
    page.click("label[for='f-service-companionship']")
    page.click("#search-form .cairn-search__filters button[type=submit]")
    page.wait_for_url("**service=companionship**")
    page.wait_for_load_state()
    assert page.locator("#chosen-filters .ds_facet").count() == 1
    _shot(page, "search-375-filtered")


def test_desktop_shows_the_results_beside_the_filters(js_page: Page, live: LiveApp) -> None:
    page = js_page
    page.goto(f"{live.url}/search?q=help")
    filters = page.locator(".ds_layout__sidebar").bounding_box()
    results = page.locator("#search-results").bounding_box()
    assert filters and results
    assert results["x"] > filters["x"] + filters["width"] - 1, "results sit beside the filters"
    assert results["y"] < 900, f"results start {results['y']}px down"
    assert page.locator("#f-service-companionship").is_visible()
    _shot(page, "search-1280")


def test_the_report_form_shows_its_errors_with_javascript_on(
    journey: Journey, axe_report: AxeReport
) -> None:
    page = journey.page
    journey.goto("/search?q=shopping&postcode=KA10", "search")
    page.click(f"{NAMES} >> text=Troon Meals at Home")
    page.wait_for_url("**/providers/**")
    page.click("#report-problem button[type=submit]")
    page.wait_for_selector("#report-problem .ds_error-summary")
    summary = page.locator("#report-problem .ds_error-summary")
    assert summary.is_visible()
    if journey.js:
        # htmx moves the focus once the swap has settled, a moment after the summary shows.
        page.wait_for_function("document.activeElement.classList.contains('ds_error-summary')")
    else:
        assert page.title().startswith(journey.t("Error") + ":")
    # Each error names its field, and the field says it is the one in error.
    invalid = page.locator("#report-problem [aria-invalid=true]")
    assert invalid.count() >= 1
    for n in range(invalid.count()):
        described = invalid.nth(n).get_attribute("aria-describedby") or ""
        assert any(page.locator(f"#{i}").count() for i in described.split()), described
    journey.check("report-with-errors")
    if journey.js and journey.lang == "en":
        _shot(page, "report-errors-1280")


@pytest.mark.parametrize("lang", ["en", "gd"])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_search_and_profile_pass_axe_at_both_widths(
    browser: Browser, live: LiveApp, axe_report: AxeReport, lang: str, width: int
) -> None:
    context = new_context(browser, lang=lang, js=True, width=width)
    page = context.new_page()
    try:
        page.goto(f"{live.url}/search?q=help&service=shopping-errands")
        where = f"search-{width}"
        violations = axe_violations(page)
        axe_report.add(where, lang, "js", violations)
        assert not violations, f"axe on {where} ({lang}):\n{describe(violations)}"
        if width == PHONE:
            page.click("#filters > summary")
            violations = axe_violations(page)
            assert not violations, f"axe on the open filters ({lang}):\n{describe(violations)}"
        page.click(f"{NAMES} >> nth=0")
        page.wait_for_url("**/providers/**")
        where = f"profile-{width}"
        violations = axe_violations(page)
        axe_report.add(where, lang, "js", violations)
        assert not violations, f"axe on {where} ({lang}):\n{describe(violations)}"
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"profile {wide}px wide at {width}px"
        _shot(page, f"profile-{lang}-{width}")
    finally:
        context.close()
