"""Keyboard only: the CIC admin signs in, approves an application (through its confirm page)
and takes another, without a mouse.

Focus is visible at every stop and moves forward through the page; the htmx update is read out
through the live region, and focus lands on the news rather than being lost. The search journey's
keyboard run will use the same helpers (tests/browser/keyboard.py) when search exists.
"""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.harness import LiveApp, t
from tests.browser.keyboard import (
    assert_focus_kept_in,
    assert_focus_visible,
    focused,
    no_transitions,
    tab_to,
    wait_for_announcement,
)


def test_the_admin_journey_works_with_the_keyboard_alone(js_page: Page, live: LiveApp) -> None:
    page = js_page
    first_name, second_name = "Auchinleck Keys Care", "Auchinleck Keys Helpers"
    first_id = live.apply_with_checks(first_name)
    second_id = live.apply_with_checks(second_name)

    page.goto(f"{live.url}/sign-in")
    no_transitions(page)
    # The first Tab reaches the skip link, and it takes you to the main content.
    page.keyboard.press("Tab")
    skip = assert_focus_visible(page)
    assert skip.text == t("en", "Skip to main content")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"

    tab_to(page, "#email")
    page.keyboard.type(live.admin_email)
    tab_to(page, "#password")
    page.keyboard.type(live.password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/applications")
    no_transitions(page)

    # Tab from the top of the page to the first application's Approve link (past the other
    # applications' rows, each with its approve, decline, review and assign links).
    stops = tab_to(page, f"#approve-{first_id}")
    assert stops[0].text == t("en", "Skip to main content")
    assert not stops[0].in_main and stops[-1].in_main  # header first, then the page's content

    # It opens the confirm page; the decision is one more Tab and Enter away.
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/providers/{first_id}/confirm/approve")
    no_transitions(page)
    tab_to(page, "#confirm-approve")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/queue?kind=applications")
    no_transitions(page)
    message = t("en", "%(name)s is approved and now listed.", name=first_name)
    page.locator("main .cairn-message", has_text=message).wait_for()

    # Taking an item updates the list in place: read out, and focus stays in the list.
    tab_to(page, f"#assign-{second_id}")
    page.keyboard.press("Enter")
    message = t("en", "%(name)s is assigned to you.", name=second_name)
    wait_for_announcement(page, message)
    assert_focus_kept_in(page, "#applications")
    # The next Tab carries on through the updated list, not from the top of the page.
    page.keyboard.press("Tab")
    assert_focus_kept_in(page, "main")
    assert_focus_visible(page)

    # The list refreshes itself every 20 seconds: a refresh must not move focus elsewhere.
    tab_to(page, f"#approve-{second_id}")
    before = page.evaluate_handle("document.activeElement")
    page.evaluate(
        """() => new Promise((settled) => {
             document.addEventListener('htmx:afterSettle', () => settled(true), {once: true});
             htmx.ajax('GET', '/admin/applications', {target: '#applications', swap: 'outerHTML'});
           })"""
    )
    assert page.evaluate("(old) => !document.body.contains(old)", before), "the list was replaced"
    after = focused(page)
    assert after is not None and after.id == f"approve-{second_id}"
