"""A team lead redacts a version of a reflection, in English and Gaelic, with JavaScript on
and off; each step is checked with axe, at phone and desktop widths."""

from __future__ import annotations

from datetime import timedelta

from cairn.domain.clock import today
from cairn.domain.learning.content import ReflectionContent
from cairn.readmodels.learning import queries as q
from tests.browser.harness import PHONE, Journey

LEAD_EMAIL = "morag@carrick.example"  # cairn/demo/learning.py: the Carrick team's lead
NAMED = "Agnes Kerrigan of 14 Dalrymple Street told us the bus had stopped."
RETOLD = "Someone in Girvan told us the bus had stopped."


def _told_then_retold(journey: Journey) -> str:
    """A reflection whose first version named a person, written the quick way."""
    runtime = journey.live.runtime
    engine = runtime.read_engine
    morag = runtime.app.accounts.account_id_for(LEAD_EMAIL)
    assert morag is not None
    (carrick,) = [t for t in q.all_teams(engine) if t.name.startswith("Carrick")]
    content = ReflectionContent(
        title=f"The Girvan bus {journey.lang}-{journey.mode}",
        happened_on=today(runtime.app.clock) - timedelta(days=3),
        what_happened=NAMED,
        what_we_learned="A missing bus cuts people off within days.",
    )
    learning = runtime.app.learning
    done = learning.record_reflection(carrick.id, content, by=morag)
    learning.revise_reflection(
        done.id, ReflectionContent(**{**vars(content), "what_happened": RETOLD}), by=morag
    )
    runtime.wait_for(runtime.app.head())
    return str(done.id)


def _fits_a_phone(journey: Journey, step: str) -> None:
    page = journey.page
    original = page.viewport_size
    page.set_viewport_size({"width": PHONE, "height": 800})
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE, f"{step}: {wide}px wide at {PHONE}px"
    journey.check(f"{step}-phone")
    if original:
        page.set_viewport_size(original)


def test_a_lead_redacts_a_version_of_a_reflection(journey: Journey) -> None:
    page, live = journey.page, journey.live
    reflection_id = _told_then_retold(journey)
    journey.sign_in(LEAD_EMAIL, live.password)
    versions = f"/learning/reflections/{reflection_id}/versions"
    journey.goto(versions, "versions")
    assert NAMED in page.inner_text("main")

    page.click("main a[href$='/versions/1/redact']")
    page.wait_for_url("**/versions/1/redact")
    journey.check("redact-form")
    _fits_a_phone(journey, "redact-form")
    journey.submit()
    journey.check("redact-form-with-errors")
    assert journey.t("Enter the reason for the redaction") in page.inner_text("#error-summary")

    page.fill("#reason", "It named someone we support.")
    journey.submit()
    journey.check("redact-confirm")
    _fits_a_phone(journey, "redact-confirm")
    assert journey.t("Are you sure?") in page.inner_text("main")
    journey.submit()
    page.wait_for_url(f"**{versions}")
    journey.check("versions-with-a-redaction")
    _fits_a_phone(journey, "versions-with-a-redaction")
    journey.screenshots("versions-with-a-redaction")
    main = page.inner_text("main")
    assert "Kerrigan" not in main and "Dalrymple" not in main
    assert RETOLD in main
    assert "It named someone we support." in main
