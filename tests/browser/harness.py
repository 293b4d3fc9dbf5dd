"""What every browser test uses: the real app on a loopback port, Chromium, axe, screenshots,
translations and keyboard checks. Tests describe journeys; this module does the work.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from babel.support import Translations
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page
from werkzeug.serving import make_server

from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import load_settings
from cairn.demo.directory import ADMIN_EMAIL, DEFAULT_DEMO_PASSWORD, load_demo_data
from cairn.web import create_app
from tests.support.providers import approve_with_checks, record_current_checks

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "cairn" / "web" / "static" / "vendor" / "axe.min.js"
AXE_URL = "/static/vendor/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
TRANSLATIONS = ROOT / "cairn" / "web" / "translations"
PHONE, DESKTOP = 375, 1280
LANGUAGES = ("en", "gd")

READER_EMAIL = "reader@cairn.example"  # signed in, but no role: sees the 403 page
EXTRA_APPROVED = 12  # with the demo's 12, the provider list runs to two pages


# --- The app under test ---------------------------------------------------------------------------


@dataclass
class LiveApp:
    url: str
    runtime: Runtime
    flask_app: Flask | None = None
    admin_email: str = ADMIN_EMAIL
    password: str = DEFAULT_DEMO_PASSWORD

    def apply(self, name: str, postcode: str = "KA7 1AA") -> UUID:
        """A new application, made the quick way; returns its id."""
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        done = self.runtime.app.directory.apply(
            name=name,
            contact_name="Test Contact",
            email=f"{slug}@browser-test.example",
            postcode=postcode,
            services=("companionship",),
        )
        self.runtime.wait_for(done.position)
        return done.id

    def apply_with_checks(self, name: str, postcode: str = "KA7 1AA") -> UUID:
        """A new application whose PVG check and insurance are on record: ready to approve."""
        provider_id = self.apply(name, postcode)
        self.runtime.wait_for(record_current_checks(self.runtime.app, provider_id).position)
        return provider_id


@contextmanager
def serve_app(data_dir: Path) -> Iterator[LiveApp]:
    """The real app, with the demo data, served by Werkzeug on a free loopback port."""
    settings = load_settings(
        {
            "CAIRN_ENV": "test",
            "CAIRN_DATA_DIR": str(data_dir),
            "CAIRN_POLL_INTERVAL": "0.05",
            # Every journey posts from 127.0.0.1: the limits would refuse the later ones.
            "CAIRN_RATE_LIMITS": "off",
        }
    )
    runtime = Runtime(settings)
    app = create_app(settings, runtime, start_projections=True)
    load_demo_data(runtime)
    done = runtime.app.accounts.register(READER_EMAIL, "Demo reader", [], DEFAULT_DEMO_PASSWORD)
    runtime.wait_for(done.position)
    admin_id = runtime.app.accounts.account_id_for(ADMIN_EMAIL)
    assert admin_id is not None
    live = LiveApp(url="", runtime=runtime, flask_app=app)
    for n in range(1, EXTRA_APPROVED + 1):
        provider_id = live.apply(f"Westfield Helpers {n:02d}", postcode="G12 8QQ")
        runtime.wait_for(approve_with_checks(runtime.app, provider_id, by=admin_id).position)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="cairn-browser-tests", daemon=True)
    thread.start()
    live.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield live
    finally:
        server.shutdown()
        thread.join()
        runtime.close()


def new_context(
    browser: Browser, *, lang: str, js: bool, width: int = DESKTOP, storage_state: Any = None
) -> BrowserContext:
    """A fresh visitor whose browser asks for `lang` first (Accept-Language)."""
    return browser.new_context(
        storage_state=storage_state,
        java_script_enabled=js,
        viewport={"width": width, "height": 900},
        extra_http_headers={"Accept-Language": f"{lang},en;q=0.5"},
        reduced_motion="reduce",
    )


# --- Text in either language ----------------------------------------------------------------------


@cache
def _catalogue(lang: str) -> Translations:
    return Translations.load(str(TRANSLATIONS), [lang])


def t(lang: str, message: str, **values: Any) -> str:
    """`message` as the app shows it in `lang` (from the compiled catalogue)."""
    text = _catalogue(lang).gettext(message)
    return text % values if values else text


def tn(lang: str, singular: str, plural: str, n: int, **values: Any) -> str:
    """A plural message as the app shows it in `lang` for `n` (`%(num)d` filled with it)."""
    text = _catalogue(lang).ngettext(singular, plural, n)
    return text % {"num": n, **values}


# --- Accessibility --------------------------------------------------------------------------------


@dataclass
class AxeReport:
    """Every axe run of the session, written to test-artifacts/axe-report.json for review."""

    runs: list[dict[str, Any]] = field(default_factory=list)

    def add(self, where: str, lang: str, mode: str, violations: list[dict[str, Any]]) -> None:
        self.runs.append({"page": where, "lang": lang, "mode": mode, "violations": violations})

    def write(self) -> None:
        if not self.runs:
            return
        ARTIFACTS.mkdir(exist_ok=True)
        # One report per test process when tests run in parallel (pytest-xdist).
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        stem = f"axe-report-{worker}" if worker else "axe-report"
        (ARTIFACTS / f"{stem}.json").write_text(json.dumps(self.runs, indent=2), "utf-8")
        lines = ["| page | language | mode | violations |", "|---|---|---|---|"]
        seen = set()
        for run in self.runs:
            key = (run["page"], run["lang"], run["mode"])
            if key in seen:
                continue
            seen.add(key)
            ids = ", ".join(v["id"] for v in run["violations"]) or "0"
            lines.append(f"| {run['page']} | {run['lang']} | {run['mode']} | {ids} |")
        (ARTIFACTS / f"{stem}.md").write_text("\n".join(lines) + "\n", "utf-8")


_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary),
  }));
}"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """WCAG 2.2 AA violations on the page as it is now (axe-core from npm, injected by path)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # From the app's own static folder, so the page's Content Security Policy allows it.
        page.add_script_tag(url=page.evaluate("location.origin") + AXE_URL)
    violations: list[dict[str, Any]] = page.evaluate(_AXE_RUN, AXE_TAGS)
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


# --- Screenshots ----------------------------------------------------------------------------------


def screenshots(page: Page, name: str) -> list[Path]:
    """Full-page screenshots at phone and desktop widths, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or {"width": DESKTOP, "height": 900}
    paths = []
    for label, width in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size({"width": width, "height": 900})
        path = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(original)
    return paths


# --- A journey through the site -------------------------------------------------------------------


class Journey:
    """One person's visit, in one language, with JavaScript on or off.

    `check()` after each step runs axe on the page (when JavaScript is on; axe is a script) and
    fails on any WCAG 2.2 AA violation, so every page a journey visits is checked in both
    languages. `t()` gives the text the person should see.
    """

    def __init__(self, page: Page, live: LiveApp, lang: str, js: bool, report: AxeReport) -> None:
        self.page, self.live, self.lang, self.js, self.report = page, live, lang, js, report

    @property
    def mode(self) -> str:
        return "js" if self.js else "no-js"

    def t(self, message: str, **values: Any) -> str:
        return t(self.lang, message, **values)

    def goto(self, path: str, step: str | None = None) -> None:
        response = self.page.goto(self.live.url + path)
        assert response is not None and response.status < 400, (
            f"{path}: {response and response.status}"
        )
        self.check(step or path)

    def check(self, step: str) -> None:
        html_lang = self.page.get_attribute("html", "lang")
        assert html_lang == self.lang, f"{step}: <html lang={html_lang!r}>, expected {self.lang!r}"
        if not self.js:
            return
        violations = axe_violations(self.page)
        self.report.add(step, self.lang, "journey", violations)
        assert not violations, f"axe on {step} ({self.lang}):\n{describe(violations)}"

    def screenshots(self, name: str) -> None:
        """Screenshots of this state for review (once per language, with JavaScript on)."""
        if self.js:
            screenshots(self.page, f"{name}-{self.lang}")

    def sign_in(self, email: str, password: str) -> None:
        self.goto("/sign-in", "sign-in")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.click("main form button[type=submit]")
        self.page.wait_for_load_state()

    def submit(self, form: str = "main form") -> None:
        """Press the form's submit button and wait for the next page (or the htmx swap)."""
        self.page.click(f"{form} button[type=submit]")
        self.page.wait_for_load_state()


def message_in_main(journey: Journey, text: str) -> None:
    """A success or error message with `text` appears (after a redirect or an htmx swap)."""
    journey.page.locator("main .cairn-message", has_text=text).first.wait_for()


def click_label_of(journey: Journey, selector: str) -> None:
    """Tick a Design System checkbox or radio the way a person does: by its label."""
    input_id = journey.page.get_attribute(selector, "id")
    journey.page.click(f"label[for='{input_id}']")


# Signing in once per account, and telling the app's scripts from axe (the page checks).

_signed_in: dict[str, Any] = {}


def signed_in_state(browser: Browser, live: LiveApp, email: str) -> Any:
    """Cookies of a signed-in session, made once per account (signing in is slow on purpose)."""
    if email not in _signed_in:
        context = new_context(browser, lang="en", js=True)
        sign_in(context.new_page(), live, email)
        _signed_in[email] = context.storage_state()
        context.close()
    return _signed_in[email]


@contextmanager
def admin_page(browser: Browser, live: LiveApp, lang: str, mode: str) -> Iterator[Page]:
    """A signed-in CIC administrator's page in `lang`, with JavaScript on ("js") or the
    app's script blocked ("no-js"); `page.js`, `page.lang` and `page.mode` say which."""
    context = new_context(
        browser, lang=lang, js=True, storage_state=signed_in_state(browser, live, ADMIN_EMAIL)
    )
    if mode == "no-js":
        context.route(app_script, lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.js, page.lang, page.mode = mode == "js", lang, mode  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


def app_script(url: str) -> bool:
    """Every script the app sends, but not axe (which the test itself adds)."""
    return url.endswith(".js") and not url.endswith(AXE_URL)


def sign_in(page: Page, live: LiveApp, email: str) -> None:
    page.goto(f"{live.url}/sign-in")
    page.fill("#email", email)
    page.fill("#password", live.password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def fill_date_boxes(page: Page, field: str, day: date) -> None:
    """Type a date into a `date_field`'s day, month and year boxes."""
    page.fill(f"#{field}", str(day.day))
    page.fill(f"#{field}-month", str(day.month))
    page.fill(f"#{field}-year", str(day.year))
