"""The CIC records every check of a new applicant in a real browser, at phone and desktop
widths, with and without JavaScript: UK date boxes, a PVG certificate uploaded, a mistake
shown where it was made, and axe clean at every step. Screenshots go to
/work/measure/shots/checks/ (and test-artifacts/screenshots) for people to look at."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from cairn.demo.directory import ADMIN_EMAIL
from cairn.domain.clock import today
from tests.browser.harness import (
    DESKTOP,
    PHONE,
    AxeReport,
    LiveApp,
    app_script,
    axe_violations,
    describe,
    fill_date_boxes,
    new_context,
    signed_in_state,
)
from tests.support.checks import PDF

SHOTS = Path("/work/measure/shots/checks")


@pytest.fixture
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def admin_page(browser: Browser, live: LiveApp, width: int, js: bool) -> Iterator[Page]:
    context = new_context(
        browser,
        lang="en",
        js=True,
        width=width,
        storage_state=signed_in_state(browser, live, ADMIN_EMAIL),
    )
    if not js:
        context.route(app_script, lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def open_checks(page: Page) -> None:
    details = page.locator("#provider-panel details.ds_details").first
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def submit(page: Page, check: str) -> None:
    page.click(f"#record-{check} button[type=submit]")
    page.wait_for_load_state()


def axe_clean(page: Page, report: AxeReport, where: str) -> None:
    violations = axe_violations(page)
    report.add(where, "en", "js", violations)
    assert not violations, f"axe on {where}:\n{describe(violations)}"


@pytest.mark.parametrize(
    ("width", "js"), [(PHONE, True), (DESKTOP, True), (PHONE, False)], ids=["375", "1280", "nojs"]
)
def test_the_cic_records_every_check_with_uk_dates_and_a_certificate(
    browser: Browser,
    live: LiveApp,
    axe_report: AxeReport,
    shots: Path,
    width: int,
    js: bool,
) -> None:
    name = f"Glenapp Home Help {width}{'' if js else ' nojs'}"
    provider_id = live.apply(name)
    now = today(live.runtime.app.clock)
    label = f"{width}" if js else f"{width}-nojs"
    for page in admin_page(browser, live, width, js):
        page.goto(f"{live.url}/admin/providers/{provider_id}")
        if js:
            axe_clean(page, axe_report, "provider page, checks missing")
        open_checks(page)

        # A check dated tomorrow is refused where it was typed, the typing kept.
        page.fill("#membership_number", "1234 5678 9012 3456")
        fill_date_boxes(page, "pvg_checked_on", now + timedelta(days=1))
        submit(page, "pvg")
        error = page.locator("#pvg_checked_on-error")
        error.wait_for()
        assert "cannot be in the future" in error.inner_text()
        assert page.input_value("#pvg_checked_on-year") == str((now + timedelta(days=1)).year)
        if js:
            axe_clean(page, axe_report, "PVG check refused")
        page.screenshot(path=str(shots / f"pvg-refused-{label}.png"), full_page=True)

        # Put right, with the certificate.
        open_checks(page)
        fill_date_boxes(page, "pvg_checked_on", now - timedelta(days=12))
        page.set_input_files(
            "#pvg_evidence",
            files=[{"name": "pvg-certificate.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        submit(page, "pvg")
        page.locator(".cairn-message").get_by_text(
            f"The PVG check for {name} is recorded."
        ).wait_for()

        open_checks(page)
        page.fill("#insurer", "Clydesdale Mutual")
        page.fill("#policy_number", "PL-88231")
        page.fill("#cover", "5,000,000")
        fill_date_boxes(page, "insurance_expires_on", now + timedelta(days=300))
        submit(page, "insurance")
        page.locator(".cairn-message").get_by_text(
            f"The insurance for {name} is recorded."
        ).wait_for()

        open_checks(page)
        page.select_option("#course", "dementia-friends")
        fill_date_boxes(page, "training_completed_on", now - timedelta(days=40))
        fill_date_boxes(page, "training_expires_on", now + timedelta(days=3 * 365))
        submit(page, "training")
        page.locator(".cairn-message").get_by_text(
            f"The training for {name} is recorded."
        ).wait_for()

        open_checks(page)
        fill_date_boxes(page, "standards_signed_on", now - timedelta(days=5))
        submit(page, "standards")
        page.locator(".cairn-message").get_by_text(
            f"The signed standards agreement for {name} is recorded."
        ).wait_for()

        checks = page.inner_text("#provider-panel dl")
        assert "Membership 1234567890123456" in checks
        assert "Renewal due" in checks and "Clydesdale Mutual, policy PL-88231" in checks
        assert "Cover of £5,000,000" in checks and "Dementia Friends" in checks
        assert "Signed version 1 on" in checks
        link = page.locator("#check-pvg a", has_text="Download PVG certificate (PDF")
        assert link.count() == 1
        with page.expect_download() as download:
            link.click()
        assert Path(download.value.path()).read_bytes() == PDF
        if js:
            axe_clean(page, axe_report, "provider page, every check recorded")
        page.screenshot(path=str(shots / f"checks-recorded-{label}.png"), full_page=True)
        summary = page.locator("#provider-panel dl.ds_summary-list").first
        summary.screenshot(path=str(shots / f"checks-summary-{label}.png"))
        open_checks(page)
        page.locator("#record-pvg").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"check-forms-{label}.png"), full_page=False)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"the provider page is {wide}px wide at {width}px"
