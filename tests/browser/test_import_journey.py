"""The CIC imports a spreadsheet in the browser: a file with a new row, a changed row and bad
rows; the preview names each bad row by its provider and echoes the bad value; the fixed file
previews its new and changed rows (field by field) and is applied, all of it. With JavaScript on
and off, in English and in Gaelic, axe-clean, and screenshotted at phone and desktop widths for
people to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from cairn.domain.directory.provider import Provider
from tests.browser.harness import (
    DESKTOP,
    PHONE,
    AxeReport,
    LiveApp,
    admin_page,
    axe_violations,
    describe,
    t,
    tn,
)

# For the people who review the work (the closing note's screenshots).
SHOTS = Path("/work/measure/shots/desk")

HEADER = (
    "name,contact_name,email,postcode,areas_covered,services,description,price_per_hour,"
    "pvg_checked_on,insurance_expires_on,training,approved_on\n"
)


def row(name: str, email: str, price: str = "18.00", services: str = "companionship") -> str:
    return f"{name},Pat,{email},KA7 1AA,KA8,{services},Company and outings,{price},,,,\n"


# The whole journey in English with JavaScript on and off, and in Gaelic (whose administrators
# read the same preview in their own words).
@pytest.fixture(
    params=[("en", "js"), ("en", "no-js"), ("gd", "js")], ids=["en-js", "en-nojs", "gd-js"]
)
def admin(request: pytest.FixtureRequest, browser: Browser, live: LiveApp) -> Iterator[Page]:
    with admin_page(browser, live, *request.param) as page:
        yield page


def choose_file(page: Page, text: str) -> None:
    page.set_input_files(
        "#file", files=[{"name": "providers.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.click("#preview-import")
    page.wait_for_load_state()


def axe_clean(page: Page, report: AxeReport, step: str, mode: str) -> None:
    lang = page.lang  # type: ignore[attr-defined]
    assert page.get_attribute("html", "lang") == lang, step
    violations = axe_violations(page)
    report.add(step, lang, mode, violations)
    assert not violations, f"{step}: {describe(violations)}"


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in (("375", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} at {width}"
        lang = page.lang  # type: ignore[attr-defined]
        page.screenshot(path=str(SHOTS / f"{name}-{lang}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": DESKTOP, "height": 900})


def test_upload_preview_fix_and_apply_a_spreadsheet(
    admin: Page, live: LiveApp, axe_report: AxeReport
) -> None:
    page, mode = admin, ("js" if admin.js else "no-js")  # type: ignore[attr-defined]
    lang = admin.lang  # type: ignore[attr-defined]
    suffix = lang + mode.replace("-", "")
    # A provider already in the directory, whose price the spreadsheet changes.
    known_name = f"Kilwinning Known Care {suffix}"
    known_id = live.apply(known_name)
    known_email = live.runtime.app.load(Provider, known_id).email
    new_name, new_email = f"Irvine New Helpers {suffix}", f"irvine-new-{suffix}@example.org"
    cheap_name = f"Dalry Cheap Care {suffix}"

    with_problems = (
        HEADER
        + row(known_name, known_email, price="21.50")
        + row(new_name, new_email)
        + row(cheap_name, f"dalry-{suffix}@example.org", price="cheap")
        + row(f"Beith Stars {suffix}", f"beith-{suffix}@example.org", services="astrology")
    )
    page.goto(live.url + "/admin/import")
    axe_clean(page, axe_report, "import-upload", mode)
    choose_file(page, with_problems)

    # The preview: nothing saved, the bad rows named by provider with what they hold.
    bad = page.locator("#bad-rows")
    bad.wait_for()
    text = bad.inner_text()
    assert cheap_name in text and "cheap" in text
    assert f"Beith Stars {suffix}" in text and "astrology" in text
    assert page.locator("#apply-import").count() == 0
    axe_clean(page, axe_report, "import-preview-problems", mode)
    if admin.js:  # type: ignore[attr-defined]
        shoot(page, "import-preview-problems")
    assert live.runtime.app.directory.provider_for_email(new_email) is None

    # Fixed: the bad rows corrected or taken out.
    fixed = (
        HEADER
        + row(known_name, known_email, price="21.50")
        + row(new_name, new_email)
        + row(cheap_name, f"dalry-{suffix}@example.org", price="16.00")
    )
    page.click(f"text={t(lang, 'Upload a different file')}")
    choose_file(page, fixed)
    page.locator("#apply-import").wait_for()
    summary = page.inner_text("#import-summary")
    assert tn(lang, "%(num)d new provider", "%(num)d new providers", 2) in summary
    assert tn(lang, "%(num)d changed provider", "%(num)d changed providers", 1) in summary
    diff = page.locator("table.cairn-import-diff", has_text=known_name)
    assert "£21.50" in diff.inner_text() or "21.50" in diff.inner_text()
    axe_clean(page, axe_report, "import-preview", mode)
    if admin.js:  # type: ignore[attr-defined]
        shoot(page, "import-preview")

    page.click("#apply-import")
    applied = t(
        lang,
        "Imported %(file)s: %(new)d new, %(changed)d changed (waiting for review), "
        "%(same)d unchanged.",
        file="providers.csv",
        new=2,
        changed=1,
        same=0,
    )
    page.locator("main .cairn-message", has_text=applied).wait_for()
    axe_clean(page, axe_report, "import-applied", mode)
    if admin.js:  # type: ignore[attr-defined]
        shoot(page, "import-applied")
    live.runtime.wait_for(live.runtime.app.head())
    assert live.runtime.app.directory.provider_for_email(new_email) is not None
    assert str(live.runtime.app.load(Provider, known_id).price_per_hour) == "21.50"

    # The changed application waits in the queue, where the desk takes it and confirms.
    page.goto(live.url + "/admin/queue?kind=applications&q=" + known_name.replace(" ", "+"))
    page.click(f"#assign-{known_id}")
    page.locator(f"#unassign-{known_id}").wait_for()
    axe_clean(page, axe_report, "queue-assigned", mode)
    if admin.js:  # type: ignore[attr-defined]
        shoot(page, "queue-assigned")
    page.click(f"#decline-{known_id}")
    page.wait_for_url(f"**/admin/providers/{known_id}/confirm/decline")
    axe_clean(page, axe_report, "confirm-decline", mode)
    if admin.js:  # type: ignore[attr-defined]
        shoot(page, "confirm-decline")
