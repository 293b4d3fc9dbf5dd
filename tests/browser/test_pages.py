"""Every page: no WCAG 2.2 AA violations (axe-core) in English and Gaelic, with JavaScript on and
off; the right <html lang>; screenshots of the main pages at phone and desktop widths in
test-artifacts/screenshots.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.harness import (
    LANGUAGES,
    PHONE,
    AxeReport,
    LiveApp,
    app_script,
    axe_violations,
    describe,
    new_context,
    screenshots,
    signed_in_state,
)
from tests.browser.site_pages import SITE_PAGES, SitePage

# With JavaScript in both languages; without it in English only, since scripts change the
# page's structure but not its words (the words are checked in both languages with JavaScript).
MODES = [("en", "js"), ("gd", "js"), ("en", "no-js")]


@pytest.fixture(params=MODES, ids=[f"{lang}-{mode}" for lang, mode in MODES])
def visit_mode(request: pytest.FixtureRequest) -> tuple[str, str]:
    lang, mode = request.param
    assert lang in LANGUAGES
    return lang, mode


@pytest.fixture
def lang(visit_mode: tuple[str, str]) -> str:
    return visit_mode[0]


@pytest.fixture
def mode(visit_mode: tuple[str, str]) -> str:
    return visit_mode[1]


@pytest.fixture(scope="module")
def visitors(browser: Browser, live: LiveApp) -> Iterator[dict[tuple[str, str, str], Page]]:
    """One browser tab per language, mode and account, reused by every page check: a fresh
    context per page costs more than the check itself on a small machine."""
    tabs: dict[tuple[str, str, str], Page] = {}
    yield tabs
    for tab in tabs.values():
        tab.context.close()


@pytest.fixture
def visitor(
    visitors: dict[tuple[str, str, str], Page],
    browser: Browser,
    live: LiveApp,
    site_page: SitePage,
    lang: str,
    mode: str,
) -> Page:
    email = site_page.email(live) or ""
    key = (lang, mode, email)
    if key not in visitors:
        # axe is itself a script, so "no-js" keeps JavaScript on for axe but blocks every script
        # the app sends: the page is what a browser without JavaScript shows.
        state = signed_in_state(browser, live, email) if email else None
        context = new_context(browser, lang=lang, js=True, storage_state=state)
        if mode == "no-js":
            context.route(app_script, lambda route: route.abort())
        page = context.new_page()
        page.set_default_timeout(10_000)
        visitors[key] = page
    return visitors[key]


def assert_reflows_on_a_phone(page: Page, name: str) -> None:
    """WCAG 1.4.10: at phone width nothing makes the whole page scroll sideways (a wide table
    may scroll inside its own region)."""
    original = page.viewport_size
    page.set_viewport_size({"width": PHONE, "height": 900})
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 6)
                .map(e => `${e.tagName}.${e.className}`)"""
        )
        name = f"{name} ({'; '.join(culprits)})"
    if original:
        page.set_viewport_size(original)
    assert widths[0] <= widths[1], f"{name} is {widths[0]}px wide on a {widths[1]}px phone"


@pytest.mark.parametrize("site_page", SITE_PAGES, ids=lambda p: p.name)
def test_page_meets_wcag_22_aa(
    visitor: Page, live: LiveApp, site_page: SitePage, lang: str, mode: str, axe_report: AxeReport
) -> None:
    response = visitor.goto(live.url + site_page.url_path(live))
    assert response is not None and response.status == site_page.status
    assert visitor.get_attribute("html", "lang") == lang
    assert (visitor.title() or "").strip(), "every page has a title"

    violations = axe_violations(visitor)
    axe_report.add(site_page.name, lang, mode, violations)
    assert not violations, f"{site_page.name} ({lang}, {mode}):\n{describe(violations)}"

    if mode == "js":
        assert_reflows_on_a_phone(visitor, site_page.name)
    if mode == "js" and site_page.screenshot:
        screenshots(visitor, f"{site_page.name}-{lang}")
