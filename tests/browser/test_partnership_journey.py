"""A partnership lead reads across two teams and sees only what is shared: the learning home
points them to the partnership view; it lists both teams' shared reflections and experiments
(never what a team keeps to itself), filters by team and theme, and shows an experiment of
one team building on another's, which the story tells too. In English and Gaelic, JavaScript
on and off, each page checked with axe at 375 and 1280 px."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select

from cairn.demo.learning.carrick import CARRICK
from cairn.demo.learning.leith import LEITH
from cairn.domain.accounts.roles import Role
from cairn.domain.learning.vocabulary import SHARED, TEAM
from cairn.readmodels.learning.teams import learning_teams
from tests.browser.harness import DESKTOP, PHONE, Journey, LiveApp
from tests.support.learning import experiment, reflection

LEAD_EMAIL = "pat@partnership.example"
THEME = "across-the-partnership"


@dataclass(frozen=True)
class Across:
    """What the two demo teams wrote for this journey, by title."""

    shared: tuple[str, str]  # a reflection of each team shared with the partnership leads
    kept: tuple[str, str]  # one of each team kept to the team
    earlier: str  # Carrick's shared experiment
    later: str  # Leith's shared experiment, which builds on Carrick's
    kept_experiment: str  # Leith's team-only experiment
    kept_reflection_id: UUID
    later_id: UUID


_ACROSS: dict[int, Across] = {}


def across(live: LiveApp) -> Across:
    """The lead's account and the two teams' learning, made once per app server."""
    if id(live) in _ACROSS:
        return _ACROSS[id(live)]
    app = live.runtime.app
    app.accounts.register(LEAD_EMAIL, "Pat", [Role.PARTNERSHIP_LEAD], live.password)
    with live.runtime.read_engine.connect() as conn:
        teams = {
            row.name: row.id
            for row in conn.execute(
                select(learning_teams.c.name, learning_teams.c.id).where(
                    learning_teams.c.name.in_((CARRICK, LEITH))
                )
            )
        }
    morag = app.accounts.account_id_for("morag@carrick.example")
    eilidh = app.accounts.account_id_for("eilidh@leith-carers.example")
    assert morag is not None and eilidh is not None
    kept_ids = []
    for team, by, place in ((teams[CARRICK], morag, "Carrick"), (teams[LEITH], eilidh, "Leith")):
        app.learning.record_reflection(
            team,
            reflection(title=f"{place} tells the partnership", themes=(THEME,), visibility=SHARED),
            by=by,
        )
        kept_ids.append(
            app.learning.record_reflection(
                team,
                reflection(title=f"{place} keeps this close", themes=(THEME,), visibility=TEAM),
                by=by,
            ).id
        )
    earlier = app.learning.propose_experiment(
        teams[CARRICK], experiment(title="Carrick evening lifts", visibility=SHARED), by=morag
    ).id
    later = app.learning.propose_experiment(
        teams[LEITH],
        experiment(title="Leith lifts after Carrick's", visibility=SHARED),
        by=eilidh,
        builds_on=[earlier],
    ).id
    done = app.learning.propose_experiment(
        teams[LEITH], experiment(title="Leith's private trial", visibility=TEAM), by=eilidh
    )
    live.runtime.wait_for(done.position)
    _ACROSS[id(live)] = Across(
        shared=("Carrick tells the partnership", "Leith tells the partnership"),
        kept=("Carrick keeps this close", "Leith keeps this close"),
        earlier="Carrick evening lifts",
        later="Leith lifts after Carrick's",
        kept_experiment="Leith's private trial",
        kept_reflection_id=kept_ids[1],
        later_id=later,
    )
    return _ACROSS[id(live)]


def check_both_widths(journey: Journey, step: str) -> None:
    """axe at the desktop width, then at a phone's (and back)."""
    journey.check(step)
    journey.page.set_viewport_size({"width": PHONE, "height": 900})
    journey.check(f"{step}-phone")
    journey.page.set_viewport_size({"width": DESKTOP, "height": 900})


def main_text(journey: Journey) -> str:
    return journey.page.inner_text("main")


def test_a_partnership_lead_reads_across_two_teams_and_sees_only_what_is_shared(
    journey: Journey,
) -> None:
    page, live = journey.page, journey.live
    made = across(live)
    journey.sign_in(LEAD_EMAIL, live.password)

    # The learning home: not in a team, so pointed to the partnership view.
    journey.goto("/learning/", "learning-home-lead")
    page.click("main a[href='/learning/partnership']")
    page.wait_for_load_state()
    check_both_widths(journey, "partnership")
    text = main_text(journey)
    for title in (*made.shared, made.earlier, made.later):
        assert title in text, title
    for title in (*made.kept, made.kept_experiment):
        assert title not in text, title
    assert CARRICK in text and LEITH in text
    assert THEME in text  # the themes across the teams
    connections = page.inner_text("main ul.cairn-connections")
    assert made.later in connections and made.earlier in connections
    journey.screenshots("partnership")

    # One team, one theme: the filters narrow it, and what is kept stays out.
    page.select_option("#team", label=LEITH)
    page.select_option("#theme", value=THEME)
    journey.submit("main form.cairn-filters")
    check_both_widths(journey, "partnership-filtered")
    text = main_text(journey)
    assert made.shared[1] in text and made.shared[0] not in text
    assert made.kept[1] not in text

    # The later experiment's story names what it builds on, with the other team.
    page.click(f"main a[href='/learning/experiments/{made.later_id}']")
    page.wait_for_load_state()
    check_both_widths(journey, "experiment-builds-on")
    story = page.inner_text("main .cairn-connections")
    assert made.earlier in story and CARRICK in story

    # A team-only reflection of another team: not there for the lead.
    response = page.goto(f"{live.url}/learning/reflections/{made.kept_reflection_id}")
    assert response is not None and response.status == 404
