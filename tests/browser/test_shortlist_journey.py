"""Shortlisting without signing in (issue 16): save two providers from the results, open the
shortlist, copy its link and open it as someone else, who keeps it; a provider that has left
says so with a 410 page. Each way: English and Gaelic, JavaScript on and off."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Browser

from tests.browser.harness import PHONE, Journey, new_context
from tests.support.providers import CHECKER

RESULT = "#search-results li.ds_search-result"


def test_shortlist_two_providers_and_open_the_shared_link(
    journey: Journey, browser: Browser
) -> None:
    page = journey.page
    journey.goto("/search", "search")
    results = page.locator(RESULT)
    names = [results.nth(i).locator("h3").inner_text().strip() for i in (0, 1)]
    for i in (0, 1):
        page.locator(RESULT).nth(i).locator("form.cairn-shortlist-button button").click()
        page.wait_for_load_state()
        # Back where the button was pressed, with the search still there.
        assert "/search" in page.url
    journey.check("search after saving two")
    journey.goto("/shortlist", "shortlist")
    shown = page.locator("main").inner_text()
    assert all(name in shown for name in names)
    link = page.input_value("#share-link")
    assert "/shortlist/shared?ids=" in link
    journey.screenshots("shortlist")
    page.set_viewport_size({"width": PHONE, "height": 800})
    assert page.locator("#share-link").is_visible()

    other = new_context(browser, lang=journey.lang, js=journey.js)
    try:
        friend = other.new_page()
        # The link names the configured site; this test's server listens on its own port.
        parts = urlsplit(link)
        friend.goto(f"{journey.live.url}{parts.path}?{parts.query}")
        seen = friend.locator("main").inner_text()
        assert all(name in seen for name in names)
        friend.click("main form button[type=submit]")
        friend.wait_for_load_state()
        assert friend.url.endswith("/shortlist")
        assert all(name in friend.locator("main").inner_text() for name in names)
    finally:
        other.close()


def test_a_provider_that_has_left_says_so(journey: Journey) -> None:
    live = journey.live
    provider_id = live.apply_with_checks(f"Leaving Care {journey.lang} {journey.mode}")
    admin = live.runtime.app.directory  # approve, then suspend: once listed, now gone
    live.runtime.wait_for(admin.approve(provider_id, by=CHECKER).position)
    live.runtime.wait_for(
        admin.suspend(provider_id, by=CHECKER, reason="Insurance lapsed").position
    )
    response = journey.page.goto(f"{live.url}/providers/{provider_id}")
    assert response is not None and response.status == 410
    journey.check("no longer listed")
    assert journey.t("This provider is no longer listed") in journey.page.inner_text("h1")
