"""Consent per voice (issue #20, part 7) as a team member does it, at phone and desktop
widths, in English and Gaelic, with JavaScript on and off; axe on every step (Journey.check).

A voice's own words are kept only with its consent in full (an empty form is refused with a
message); they are corrected, and both versions are on the versions page; then the person
withdraws their consent: after a plain confirmation their words are gone from the page, from
every version and from the search, and a dated note says so. Back and Forward keep it so."""

from __future__ import annotations

import pytest

from cairn.readmodels.learning import queries as q
from tests.browser.harness import DESKTOP, PHONE, Journey, click_label_of, message_in_main
from tests.support.learning import reflection

TEAM_MEMBER_EMAIL = "jamie@carrick.example"  # cairn/demo/learning: a Carrick team member


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_voice_is_kept_with_its_consent_then_withdrawn_from_every_version(
    journey: Journey, width: int
) -> None:
    page, live = journey.page, journey.live
    page.set_viewport_size({"width": width, "height": 900})
    runtime = live.runtime
    jamie = runtime.app.accounts.account_id_for(TEAM_MEMBER_EMAIL)
    assert jamie is not None
    [team_id] = q.reader_of(runtime.read_engine, jamie).member_of
    tag = f"{journey.lang}{journey.mode}{width}".replace("-", "")
    done = runtime.app.learning.record_reflection(
        team_id, reflection(title=f"Evening calls {tag}"), by=jamie
    )
    runtime.wait_for(done.position)
    marker = f"lanternlight{tag}"  # one word the search and the pages can be asked about
    words = f"The evening calls are my {marker}; I wait for them all day."

    journey.sign_in(TEAM_MEMBER_EMAIL, live.password)
    journey.goto(f"/learning/reflections/{done.id}", "voices-none")
    page.click(f'a:has-text("{journey.t("Keep someone’s own words, with their consent")}")')
    page.wait_for_url(f"**/reflections/{done.id}/voices/new")
    journey.check("voice-form")

    # Nothing chosen: refused with a message for each question, and nothing kept.
    journey.submit()
    summary = page.locator("#error-summary")
    summary.wait_for()
    journey.check("voice-form-with-errors")
    assert journey.t("Choose whose voice this is") in summary.inner_text()
    assert journey.t("Choose how they gave their consent") in summary.inner_text()

    click_label_of(journey, "input[name=role][value=person-using-support]")
    page.fill("#words", words)
    click_label_of(journey, "input[name=consent_how][value=easy-read]")
    # The date boxes start at today and the readers at the reflection's own: both kept.
    journey.submit()
    message_in_main(journey, journey.t("Their words are kept, with their consent."))
    assert page.url.endswith("#voices")
    journey.check("voice-kept")
    voices = page.locator("#voices")
    assert marker in voices.inner_text()
    assert journey.t("On an easy-read consent form") in voices.inner_text()
    journey.screenshots("voice-kept")
    reader = q.reader_of(runtime.read_engine, jamie)
    assert [h.id for h in runtime.learning_index.search(marker, reader)] == [done.id]

    # Corrected: the page shows the new words, the versions page both.
    page.click(f'#voices a:has-text("{journey.t("Correct their words")}")')
    page.wait_for_url("**/edit")
    journey.check("voice-words-form")
    page.fill("#words", words.replace("all day", "every day"))
    journey.submit()
    message_in_main(
        journey, journey.t("Their words are corrected. The earlier words are kept in the versions.")
    )
    assert "every day" in page.inner_text("#voices")
    journey.goto(f"/learning/reflections/{done.id}/versions", "voice-versions")
    assert page.locator("blockquote", has_text=marker).count() == 2

    # Withdrawn: the date, then a plain question, then the words are gone everywhere.
    journey.goto(f"/learning/reflections/{done.id}", "voice-before-withdrawal")
    page.click(f'#voices a:has-text("{journey.t("Record that they withdrew their consent")}")')
    page.wait_for_url("**/withdraw")
    journey.check("withdraw-form")
    journey.submit()
    page.locator("h2", has_text=journey.t("Are you sure?")).wait_for()
    journey.check("withdraw-confirm")
    assert marker not in page.inner_text("main")  # the words are not repeated here
    journey.submit()
    message_in_main(
        journey,
        journey.t("Consent is withdrawn. Their words are removed from every version, for good."),
    )
    journey.check("voice-withdrawn")
    assert marker not in page.inner_text("main")
    note = journey.t(
        "Consent withdrawn on %(day)s. Their words are removed from every version, for good.",
        day="|",
    )
    before_day, after_day = note.split("|")
    assert before_day in page.inner_text("#voices") and after_day in page.inner_text("#voices")
    journey.screenshots("voice-withdrawn")
    journey.goto(f"/learning/reflections/{done.id}/versions", "voice-versions-withdrawn")
    assert marker not in page.inner_text("main")
    assert page.locator("text=" + journey.t("[removed: consent withdrawn]")).count() == 2
    assert runtime.learning_index.search(marker, reader) == []

    # Back and Forward: the reflection, as it is now, then the versions again.
    page.go_back()
    page.wait_for_load_state()
    assert page.url.split("#")[0].endswith(f"/learning/reflections/{done.id}")
    assert marker not in page.inner_text("main")
    page.go_forward()
    page.wait_for_load_state()
    assert page.url.endswith("/versions") and marker not in page.inner_text("main")
