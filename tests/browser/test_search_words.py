"""A daughter searches in her own words, in English and Gaelic, with JavaScript on and off:
everyday words find the service they mean and the results show what matched."""

from __future__ import annotations

from urllib.parse import quote_plus

from tests.browser.harness import PHONE, Journey


def _search(journey: Journey, words: str) -> None:
    page = journey.page
    page.fill("#q", words)
    page.click("#search-form .cairn-search__main button[type=submit]")
    first = quote_plus(words.split()[0])
    page.wait_for_url(lambda url: f"q={first}" in url)


def test_find_help_in_everyday_words(journey: Journey) -> None:
    page = journey.page
    journey.goto("/search", "search")

    _search(journey, "someone to sit with my mum")
    # Companionship comes first. (Which provider is first depends on what other journeys have
    # added to the shared demo data, so the test asks for the service, not a name.)
    companionship = journey.t("Companionship")
    page.locator(
        "#search-results .ds_search-result__summary", has_text=companionship
    ).first.wait_for()
    first = page.locator("#search-results .ds_search-result").first
    assert companionship in first.locator(".ds_search-result__summary").inner_text()
    journey.check("search-everyday-words")

    _search(journey, "visits for my mum")
    # Wait for the new results, not the ones still showing from the last search.
    page.locator("#search-results .cairn-snippet mark", has_text="visit").first.wait_for()
    marked = page.locator("#search-results .cairn-snippet mark").first
    assert marked.inner_text() == "visit"  # "… the same friendly face each visit …"
    journey.check("search-everyday-words-marked")
    page.set_viewport_size({"width": PHONE, "height": 800})
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE, f"{wide}px wide at {PHONE}px"
    journey.screenshots("search-everyday-words")

    _search(journey, "Gàidhlig" if journey.lang == "gd" else "gaelic")
    page.locator("#search-results .ds_search-result").first.wait_for()
    assert "No providers found" not in page.inner_text("#results-count")
