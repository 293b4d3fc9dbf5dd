"""The CIC's tables in a real browser: readable at phone and desktop widths with JavaScript on
and off (no word broken, nothing wider than the page), and a queue whose news of new work never
takes away what the administrator is typing or where their focus is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from cairn.demo.directory import ADMIN_EMAIL
from tests.browser.harness import (
    DESKTOP,
    PHONE,
    AxeReport,
    LiveApp,
    app_script,
    axe_violations,
    describe,
    new_context,
    signed_in_state,
)

TABLE_PAGES = {
    "queue": "/admin/queue?kind=applications",
    "queue-renewals": "/admin/queue?kind=renewals",
    "queue-lapsed": "/admin/queue?kind=lapsed",
    "queue-reports": "/admin/queue?kind=reports",
    "coverage": "/admin/coverage",
    "unmet-demand": "/admin/unmet-demand",
    "audit": "/admin/audit",
    "accounts": "/admin/accounts",
    "invitations": "/admin/invitations",
    "other-provision": "/admin/other-provision",
}

# Every table cell whose words do not fit it (they would be broken, or spill out), and whether
# the stacked tables show each cell's header beside it.
_READING = """() => {
  const cells = [...document.querySelectorAll('main table td, main table th')]
    .filter(c => c.offsetParent !== null)
    // A stacked table's header row is there for screen readers only (1px, clipped).
    .filter(c => !c.closest('thead')
                 || getComputedStyle(c.closest('thead')).position !== 'absolute');
  const spilt = cells
    .filter(c => !c.classList.contains('cairn-break-anywhere'))
    .filter(c => getComputedStyle(c).overflowWrap !== 'normal' || c.scrollWidth > c.clientWidth + 1)
    .map(c => c.textContent.trim().slice(0, 40));
  const stacked = [...document.querySelectorAll('main .cairn-table--stacked td[data-heading]')]
    .filter(c => c.dataset.heading)
    .map(c => getComputedStyle(c, '::before').content);
  return {spilt, stacked, wide: document.documentElement.scrollWidth};
}"""


@pytest.fixture(params=["js", "no-js"])
def admin(request: pytest.FixtureRequest, browser: Browser, live: LiveApp) -> Iterator[Page]:
    context = new_context(
        browser, lang="en", js=True, storage_state=signed_in_state(browser, live, ADMIN_EMAIL)
    )
    if request.param == "no-js":
        context.route(app_script, lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.parametrize("name", TABLE_PAGES)
def test_admin_tables_read_whole_words_at_phone_and_desktop_width(
    admin: Page, live: LiveApp, name: str
) -> None:
    admin.goto(live.url + TABLE_PAGES[name])
    for width in (PHONE, DESKTOP):
        admin.set_viewport_size({"width": width, "height": 900})
        seen = admin.evaluate(_READING)
        assert seen["wide"] <= width, f"{name} is {seen['wide']}px wide at {width}px"
        assert not seen["spilt"], f"{name} at {width}px: words do not fit {seen['spilt']}"
        if width == PHONE:
            # A stacked row's cells each say which column they are.
            assert all(label not in ("none", "normal", '""') for label in seen["stacked"]), seen[
                "stacked"
            ]


def test_news_of_new_work_keeps_what_is_typed_and_where_focus_is(
    browser: Browser, live: LiveApp, axe_report: AxeReport
) -> None:
    assert live.flask_app is not None
    config = live.flask_app.config
    config["QUEUE_POLL_SECONDS"] = 1
    context = new_context(
        browser, lang="en", js=True, storage_state=signed_in_state(browser, live, ADMIN_EMAIL)
    )
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        # A queue filtered to nothing yet, the administrator part way through changing it.
        page.goto(live.url + "/admin/queue?kind=applications&q=Arrived")
        page.wait_for_load_state("networkidle")
        page.click("#q")
        page.keyboard.press("End")
        page.keyboard.type(" Hel")

        live.apply("Newly Arrived Helpers")
        page.wait_for_timeout(3_000)  # past a few polls (every second here)

        assert page.input_value("#q") == "Arrived Hel"
        assert page.evaluate("document.activeElement.id") == "q"
        news = page.locator("#queue-news")
        news.get_by_text("1 new item since this list was shown.").wait_for()
        assert news.get_attribute("role") == "status"
        assert "Newly Arrived Helpers" not in page.inner_text("main")  # not swapped in

        violations = axe_violations(page)
        axe_report.add("queue-with-news", "en", "js", violations)
        assert not violations, describe(violations)

        # The person chooses: the link shows the list as it is now.
        page.click("#queue-news-refresh")
        page.wait_for_load_state()
        assert "Newly Arrived Helpers" in page.inner_text("main table")
        assert page.input_value("#q") == "Arrived"  # the list as filtered when it was shown
    finally:
        config.pop("QUEUE_POLL_SECONDS", None)
        context.close()
