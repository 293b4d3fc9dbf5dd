"""The CIC finds a gap on the coverage board in a real browser, sees it on the map, loads a
council's services as other provision, and follows the gap's new count to those services. At
phone and desktop widths, English and Gaelic, JavaScript on and off, axe-clean; screenshots go
to /work/measure/shots/coverage/ for people to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.harness import (
    DESKTOP,
    PHONE,
    AxeReport,
    LiveApp,
    admin_page,
    axe_violations,
    describe,
    t,
)

SHOTS = Path("/work/measure/shots/coverage")

# The first district of the board whose "Any service" cell is a gap (no listed provider).
_FIRST_GAP = """() => {
  for (const row of document.querySelectorAll('table.cairn-coverage tbody tr')) {
    const cells = row.querySelectorAll('td');
    if (cells.length > 4 && cells[cells.length - 4].classList.contains('cairn-gap')) {
      return row.querySelector('th').textContent.trim().split(/\\s+/)[0];
    }
  }
  return null;
}"""


@pytest.fixture(
    params=[("en", "js"), ("en", "no-js"), ("gd", "js")], ids=["en-js", "en-nojs", "gd-js"]
)
def admin(request: pytest.FixtureRequest, browser: Browser, live: LiveApp) -> Iterator[Page]:
    with admin_page(browser, live, *request.param) as page:
        yield page


def checked(page: Page, report: AxeReport, step: str) -> None:
    lang, mode = page.lang, page.mode  # type: ignore[attr-defined]
    assert page.get_attribute("html", "lang") == lang, step
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 900})
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{step} is {wide}px wide at {width}px"
        violations = axe_violations(page)
        report.add(f"{step}-{width}", lang, mode, violations)
        assert not violations, f"axe on {step} at {width}px:\n{describe(violations)}"
        if mode == "js":
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{step}-{lang}-{width}.png"), full_page=True)


def test_a_gap_on_the_board_and_its_map_then_other_provision_fills_the_picture(
    admin: Page, live: LiveApp, axe_report: AxeReport
) -> None:
    page, lang = admin, admin.lang  # type: ignore[attr-defined]
    suffix = lang + admin.mode.replace("-", "")  # type: ignore[attr-defined]
    page.goto(live.url + "/admin/coverage")
    gap = page.evaluate(_FIRST_GAP)
    assert gap, "the demo board shows a district with no provider"
    # The gap is on the map too: its circle's tooltip names it, with no provider.
    circle_title = page.locator("figure.cairn-coverage-map svg g title", has_text=gap).first
    assert gap in (circle_title.text_content() or "")
    checked(page, axe_report, "coverage")

    # Load a council's services for that district as other provision.
    page.click(f"text={t(lang, 'Other provision: council, NHS and third-sector services')}")
    page.wait_for_url("**/admin/other-provision")
    source = f"Council for {gap} {suffix}"
    page.fill("#source", source)
    page.set_input_files(
        "#file",
        files=[
            {
                "name": "services.csv",
                "mimeType": "text/csv",
                "buffer": (
                    "organisation,service,areas,service_types,url\n"
                    f"Council,Lunch club {suffix},{gap},companionship,\n"
                    "Council,Bad place,Atlantis,,\n"
                ).encode(),
            }
        ],
    )
    page.click("#load-source")
    page.wait_for_load_state()
    # A bad row: named with its value, nothing loaded, the name kept for the next try.
    page.locator("#provision-problems").wait_for()
    assert "Atlantis" in page.inner_text("main")
    assert page.input_value("#source") == source
    checked(page, axe_report, "other-provision-problems")

    page.set_input_files(
        "#file",
        files=[
            {
                "name": "services.csv",
                "mimeType": "text/csv",
                "buffer": (
                    "organisation,service,areas,service_types,url\n"
                    f"Council,Lunch club {suffix},{gap},companionship,\n"
                ).encode(),
            }
        ],
    )
    page.click("#load-source")
    page.wait_for_url("**/admin/other-provision")
    assert source in page.inner_text("main table")
    checked(page, axe_report, "other-provision-loaded")

    # Back on the board, the gap's "Other provision" cell leads to the lunch club.
    page.goto(live.url + "/admin/coverage")
    page.click(f"a[href='/admin/coverage/other?district={gap}']")
    page.wait_for_url(f"**/admin/coverage/other?district={gap}")
    assert f"Lunch club {suffix}" in page.inner_text("main")
    checked(page, axe_report, "coverage-other")

    # Pressing Back returns to the board, as it was.
    page.go_back()
    page.wait_for_url("**/admin/coverage")
    assert page.evaluate(_FIRST_GAP) is not None
