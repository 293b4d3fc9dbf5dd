"""Keyboard only: find help near a postcode, filter, page through, and send an enquiry.

With JavaScript on, the results update in place (htmx): each update is read out through the
page's live region, and focus stays where the person is (in the field they typed in, on the
box they ticked) or, when the thing they pressed was replaced, lands on the new results.
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

RESULTS = "#search-results"


def announced_count(page: Page) -> str:
    """The results count as the page shows it now (what the live region should read out)."""
    return page.inner_text("#results-count").strip()


def test_find_help_and_send_an_enquiry_with_the_keyboard_alone(
    js_page: Page, live: LiveApp
) -> None:
    page = js_page
    page.goto(f"{live.url}/search")
    no_transitions(page)

    # The first Tab reaches the skip link, which takes you to the main content.
    page.keyboard.press("Tab")
    assert assert_focus_visible(page).text == t("en", "Skip to main content")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"

    # Typing a postcode updates the results as you type; focus stays in the field.
    stops = tab_to(page, "#postcode")
    assert [s.id for s in stops][:2] == ["q", "postcode"], "the search box first, then postcode"
    page.keyboard.type("KA7 2XY")
    wait_for_announcement(page, "within 10 miles of KA7")
    assert focused(page) is not None and focused(page).id == "postcode"  # type: ignore[union-attr]
    assert_focus_visible(page)

    # Ticking a filter with the space bar: the results and counts update, focus stays put.
    tab_to(page, "#f-service-companionship")
    before = announced_count(page)
    page.keyboard.press("Space")
    page.wait_for_function(
        "(before) => document.querySelector('#results-count').innerText.trim() !== before",
        arg=before,
    )
    wait_for_announcement(page, announced_count(page))
    now = assert_focus_visible(page)
    assert now.id == "f-service-companionship"
    assert "service=companionship" in page.url  # the address keeps the search, for Back

    # On from the filters to the results, in document order, and open a provider.
    tab_to(page, f"{RESULTS} a.ds_search-result__link", max_presses=150)
    assert_focus_kept_in(page, RESULTS)
    name = focused(page).text  # type: ignore[union-attr]
    page.keyboard.press("Enter")
    page.wait_for_url("**/providers/*")
    no_transitions(page)
    assert page.inner_text("main h1") == name

    # The enquiry form, field by field.
    tab_to(page, "#name", max_presses=150)
    page.keyboard.type("Keyboard Visitor")
    tab_to(page, "#contact")
    page.keyboard.type("keyboard@visitor.example")
    tab_to(page, "#message")
    page.keyboard.type("Could you help on Saturday afternoons?")
    stops = tab_to(page, "#consent")
    assert "website" not in [s.id for s in stops], "the robot trap is skipped"
    page.keyboard.press("Space")
    tab_to(page, "form[action*='/enquiries'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/enquiries/sent?*")
    assert page.inner_text("main h1") == t("en", "Message sent")


def test_paging_through_results_keeps_keyboard_focus_in_the_results(
    js_page: Page, live: LiveApp
) -> None:
    page = js_page
    page.goto(f"{live.url}/search")
    no_transitions(page)

    # "Next" is replaced by the new page of results: focus lands on the new count, not the top.
    tab_to(page, f"{RESULTS} a[rel=next]", max_presses=200)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?page=2")
    wait_for_announcement(page, announced_count(page))
    landed = assert_focus_kept_in(page, RESULTS)
    assert landed.id == "results-count"
    current = page.inner_text(f"{RESULTS} [aria-current=page]")
    assert current.startswith(t("en", "Page %(page)s of %(pages)s", page=2, pages=0)[:-1])

    # The next Tab carries on into the new results.
    page.keyboard.press("Tab")
    now = assert_focus_visible(page)
    assert now.in_main and page.evaluate("!!document.activeElement.closest('#search-results')")
