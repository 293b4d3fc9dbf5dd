"""Browser fixtures: one app server and one Chromium for the whole session; a fresh context
(visitor) per test, in English or Gaelic, with JavaScript on or off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.harness import (
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    AxeReport,
    Journey,
    LiveApp,
    new_context,
    serve_app,
)

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    with serve_app(tmp_path_factory.mktemp("cairn-browser")) as app:
        yield app


@pytest.fixture(autouse=True)
def no_rate_limits(live: LiveApp) -> Iterator[None]:
    """Every visitor here comes from 127.0.0.1 and the suite signs in and sends enquiries
    many times a minute: the limits (tested in tests/security) would turn it away. Restored
    after each test."""
    assert live.flask_app is not None
    config = live.flask_app.config
    was = config["RATELIMIT_ENABLED"]
    config["RATELIMIT_ENABLED"] = False
    yield
    config["RATELIMIT_ENABLED"] = was


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install chromium`")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make assets`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_report() -> Iterator[AxeReport]:
    report = AxeReport()
    yield report
    report.write()


# Every journey runs four ways: English and Gaelic, with JavaScript on and off.
VISITS = [("en", True), ("en", False), ("gd", True), ("gd", False)]


@pytest.fixture(params=VISITS, ids=[f"{lang}-{'js' if js else 'nojs'}" for lang, js in VISITS])
def journey(
    request: pytest.FixtureRequest, browser: Browser, live: LiveApp, axe_report: AxeReport
) -> Iterator[Journey]:
    lang, js = request.param
    context = new_context(browser, lang=lang, js=js)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield Journey(page, live, lang, js, axe_report)
    context.close()


@pytest.fixture
def js_page(browser: Browser) -> Iterator[Page]:
    """A visitor in English with JavaScript on (keyboard and htmx tests)."""
    context = new_context(browser, lang="en", js=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
