"""A comment on an experiment (issue #20, part 8), at phone and desktop widths, in English and
Gaelic, with JavaScript on and off; axe on every step (Journey.check).

An empty comment is refused with a message; a comment is added (in place with htmx, the new
comment taking the focus; after a redirect to it without script) and shown under the
experiment with the author's name, as the team sees it."""

from __future__ import annotations

import pytest

from cairn.domain.learning.vocabulary import SHARED
from cairn.readmodels.learning import queries as q
from tests.browser.harness import DESKTOP, PHONE, Journey, message_in_main
from tests.support.learning import experiment

TEAM_MEMBER_EMAIL = "jamie@carrick.example"  # cairn/demo/learning: a Carrick team member


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_team_member_comments_on_an_experiment(journey: Journey, width: int) -> None:
    page, live = journey.page, journey.live
    page.set_viewport_size({"width": width, "height": 900})
    runtime = live.runtime
    jamie = runtime.app.accounts.account_id_for(TEAM_MEMBER_EMAIL)
    assert jamie is not None
    [team_id] = q.reader_of(runtime.read_engine, jamie).member_of
    title = f"Lunch club lifts {journey.lang}-{journey.mode}-{width}"
    done = runtime.app.learning.propose_experiment(
        team_id, experiment(title=title, visibility=SHARED), by=jamie
    )
    runtime.wait_for(done.position)

    journey.sign_in(TEAM_MEMBER_EMAIL, live.password)
    journey.goto(f"/learning/experiments/{done.id}", "conversation-experiment")
    assert journey.t("No comments yet.") in page.inner_text("#comments")

    # Nothing written: refused with a message, and nothing saved.
    journey.submit("#comments form")
    page.locator("#comments .ds_error-summary").wait_for()
    journey.check("conversation-comment-with-errors")
    assert journey.t("Write your comment") in page.inner_text("#comments .ds_error-summary")
    if journey.js:  # the swapped-in errors take the focus, as a page load's would
        page.wait_for_function("document.activeElement.id === 'error-summary'")

    words = f"Could the drivers tell us who stopped coming? ({journey.lang}-{width})"
    page.fill("#comment-text", words)
    journey.submit("#comments form")
    if journey.js:
        page.locator("#comments li", has_text=words).wait_for()
        # The focus moves once htmx has settled the swap, a moment after the comment shows.
        page.wait_for_function("document.activeElement.id.startsWith('comment-')")
        focused = page.evaluate("document.activeElement.id")
        assert focused.startswith("comment-"), focused  # the new comment, not the page top
        assert page.evaluate("location.pathname") == f"/learning/experiments/{done.id}"
    else:
        message_in_main(journey, journey.t("Your comment is added."))
        assert "#comment-" in page.url
    journey.check("conversation-commented")
    comment = page.locator("#comments li", has_text=words)
    assert "Jamie (peer worker)" in comment.inner_text()  # inside the team: the name
    assert journey.t("Edit") in comment.inner_text()
    journey.screenshots(f"conversation-{width}")
