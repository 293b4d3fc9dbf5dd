"""Every page of the site, for the accessibility and screenshot checks (test_pages.py).

Adding a page? Add one `SitePage` here (and its strings to the catalogues); it is then checked with
axe in English and Gaelic with JavaScript on, and in English with the app's scripts blocked, and
(when `screenshot` is set) screenshotted at phone and desktop widths. Pages that only appear
part-way through a form (errors, confirmations after a post) are checked by the journeys instead
(see README.md in this folder).

Pages that need an id (a provider, a team, an experiment) find it through `Scenery`: the demo
data's own records, looked up once per session, plus a few made for these checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select

from cairn.demo.directory import PROVIDER_EMAIL
from cairn.demo.learning import CARRICK
from cairn.domain.accounts.account import Account
from cairn.domain.accounts.email_change import EmailChange
from cairn.domain.clock import today
from cairn.domain.learning.content import ExperimentContent
from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.vocabulary import HYPOTHESIS_TEST
from cairn.infrastructure.link_tokens import make_link_token
from cairn.readmodels.accounts.queries import account_by_email
from cairn.readmodels.directory.providers import providers
from cairn.readmodels.learning.experiments import learning_experiments
from cairn.readmodels.learning.reflections import learning_reflections
from cairn.readmodels.learning.teams import learning_teams
from tests.browser.harness import READER_EMAIL, LiveApp
from tests.support.providers import record_current_checks

TEAM_MEMBER_EMAIL = "morag@carrick.example"  # the Carrick team's lead (cairn/demo/learning.py)


@dataclass(frozen=True)
class Scenery:
    """Ids of the records the pages show."""

    listed_provider: UUID  # Heathfield Home Help: approved, with checks and training
    edited_provider: UUID  # Alloway Companions: approved, with changes waiting for review
    pending_provider: UUID  # a new application with checks recorded: a history to show
    team: UUID  # Carrick Community Connections
    experiment: UUID  # the latest cycle of a story of three cycles
    reflection: UUID
    enquiry: UUID  # to Alloway Companions, with an email for replies
    studied: UUID  # a Carrick experiment being made sense of: amended, with numbers
    observation: UUID  # one of its observations, corrected once
    comment: UUID  # the team lead's comment on the studied experiment


_SCENERY: dict[int, Scenery] = {}


def scenery(live: LiveApp) -> Scenery:
    """The ids, looked up (and the few extra records made) once per app server."""
    if id(live) not in _SCENERY:
        _SCENERY[id(live)] = _make_scenery(live)
    return _SCENERY[id(live)]


def _make_scenery(live: LiveApp) -> Scenery:
    runtime = live.runtime
    pending = live.apply("Kilmarnock Page Check Care")
    runtime.wait_for(record_current_checks(runtime.app, pending).position)
    with runtime.read_engine.connect() as conn:

        def provider_named(name: str) -> UUID:
            found = conn.execute(select(providers.c.id).where(providers.c.name == name)).first()
            assert found is not None, f"the demo data has no provider {name!r}"
            return UUID(str(found.id))

        team = conn.execute(
            select(learning_teams.c.id).where(learning_teams.c.name == CARRICK)
        ).scalar_one()
        longest = conn.execute(
            select(learning_experiments.c.id)
            .where(learning_experiments.c.team_id == team)
            .order_by(learning_experiments.c.cycle.desc())
        ).first()
        reflection = conn.execute(
            select(learning_reflections.c.id)
            .where(learning_reflections.c.team_id == team)
            .order_by(learning_reflections.c.happened_on.desc())
        ).first()
        assert longest is not None and reflection is not None
        edited = provider_named("Alloway Companions")
        enquiry = runtime.app.enquiries.send(
            edited,
            name="Jean Page-Check",
            contact="07700 900123",
            message="My mum would like company on Tuesday afternoons.",
            consent=True,
            reply_email="jean@page-check.example",
        )
        runtime.wait_for(enquiry.position)
        # Searches that found nobody, so the unmet-demand page has rows and bars to check.
        for district, services in (("KA26", ["gardening"]), ("KA19", []), ("KA26", ["transport"])):
            noted = runtime.app.enquiries.record_unmet_demand(district=district, services=services)
        runtime.wait_for(noted.position)
        studied, observation = _studied_experiment(live, UUID(str(team)))
        morag = runtime.app.accounts.account_id_for(TEAM_MEMBER_EMAIL)
        assert morag is not None
        said = runtime.app.learning.comment(studied, "Ask the peer workers too.", by=morag)
        runtime.wait_for(said.position)
        return Scenery(
            comment=said.id,
            studied=studied,
            observation=observation,
            listed_provider=provider_named("Heathfield Home Help"),
            edited_provider=edited,
            enquiry=enquiry.id,
            pending_provider=pending,
            team=UUID(str(team)),
            experiment=UUID(str(longest.id)),
            reflection=UUID(str(reflection.id)),
        )


def _studied_experiment(live: LiveApp, team: UUID) -> tuple[UUID, UUID]:
    """An experiment at the study step: numbered observations (one corrected), an amended
    prediction and a sense-making session, for the pages of making sense of it."""
    runtime = live.runtime
    learning = runtime.app.learning
    morag = runtime.app.accounts.account_id_for(TEAM_MEMBER_EMAIL)
    assert morag is not None
    day = today(runtime.app.clock)
    ago = lambda n: day - timedelta(days=n)  # noqa: E731 - a short local name reads best
    x = learning.propose_experiment(
        team,
        ExperimentContent(
            kind=HYPOTHESIS_TEST,
            title="Tuesday phone calls (page check)",
            purpose="Keep in touch with people between lunch clubs.",
            question="Will a weekly call keep people coming?",
            what_we_try="A peer worker phones each person on Tuesday.",
            prediction="Most people keep coming every week.",
            funding_amount=Decimal("4000"),
            funder="Carrick Partnership Learning Fund",
            committed_months=6,
        ),
        by=morag,
        proposed_on=ago(60),
    ).id
    learning.start_experiment(x, by=morag, on=ago(50))
    for n, value in ((40, 6), (30, 8), (20, 7), (10, 9)):
        learning.add_observation(
            x,
            f"{value} people came to the lunch club.",
            by=morag,
            role="commissioner",
            on=ago(n),
            value=Decimal(value),
            unit="people at lunch",
        )
    observation = next(iter(runtime.app.load(Experiment, x).observations))
    learning.correct_observation(
        x,
        observation,
        "5 people came to the lunch club (we had counted a volunteer).",
        by=morag,
        role="commissioner",
        value=Decimal(5),
        unit="people at lunch",
    )
    learning.amend_prediction(
        x,
        what_we_try="A peer worker phones each person on Tuesday.",
        prediction="More than half keep coming every week.",
        signals="",
        reason="two people moved away",
        by=morag,
        on=ago(15),
    )
    learning.begin_sense_making(x, by=morag, on=ago(5))
    done = learning.hold_sense_making(
        x,
        roles=("peer-worker", "commissioner"),
        notes="The calls matter more than the lunch.",
        voices=("person-using-support",),
        consent_recorded=True,
        by=morag,
        on=ago(3),
    )
    runtime.wait_for(done.position)
    return x, observation


# Who a page is seen by: signed out (None), or signed in as one of these.
ACCOUNTS: dict[str, Callable[[LiveApp], str]] = {
    "admin": lambda live: live.admin_email,
    "reader": lambda live: READER_EMAIL,  # signed in, but no role: sees the 403 page
    "provider": lambda live: PROVIDER_EMAIL,
    "team": lambda live: TEAM_MEMBER_EMAIL,
}


@dataclass(frozen=True)
class SitePage:
    name: str
    path: str | Callable[[LiveApp], str]
    signed_in_as: str | None = None  # a key of ACCOUNTS
    status: int = 200
    screenshot: bool = False  # the main pages of each area, for people to look at

    def url_path(self, live: LiveApp) -> str:
        return self.path(live) if callable(self.path) else self.path

    def email(self, live: LiveApp) -> str | None:
        return ACCOUNTS[self.signed_in_as](live) if self.signed_in_as else None


def _with(make: Callable[[Scenery], str]) -> Callable[[LiveApp], str]:
    return lambda live: make(scenery(live))


def _as_of_last_week(live: LiveApp) -> str:
    day = today(live.runtime.app.clock) - timedelta(days=7)
    return f"/admin/providers/{scenery(live).edited_provider}?as_of={day.isoformat()}#as-it-was"


def _provider_account_page(live: LiveApp) -> str:
    row = account_by_email(live.runtime.read_engine, PROVIDER_EMAIL)
    assert row is not None
    return f"/admin/accounts/{row.id}"


def _change_email_link(live: LiveApp) -> str:
    """A working link to move the reader's account to a new address (its one-button page)."""
    row = account_by_email(live.runtime.read_engine, READER_EMAIL)
    assert row is not None
    app = live.runtime.app
    change = EmailChange(
        account_id=row.id,
        email=READER_EMAIL,
        new_email="reader@new-address.example",
        account_version=app.load(Account, row.id).version,
        language="en",
    )
    live.runtime.wait_for(app.record(change))
    token = make_link_token(live.runtime.settings.secret_key, "change-email", change.id)
    return f"/account/change-email/{token}"


SITE_PAGES = [
    # Everyone
    SitePage("home", "/", screenshot=True),
    SitePage("providers", "/providers"),
    SitePage("providers-page-2", "/providers?page=2"),
    SitePage("search", "/search", screenshot=True),
    SitePage(
        "search-with-filters",
        "/search?q=company&postcode=KA7+2XY&service=companionship&day=sat&sort=name",
        screenshot=True,
    ),
    SitePage("search-page-2", "/search?page=2"),
    SitePage("search-empty", "/search?q=beekeeping&postcode=ZE2+9AA", screenshot=True),
    SitePage("search-bad-postcode", "/search?postcode=not+a+postcode"),
    SitePage("profile", _with(lambda s: f"/providers/{s.listed_provider}"), screenshot=True),
    SitePage("enquiry-sent", _with(lambda s: f"/providers/{s.listed_provider}/enquiries/sent")),
    SitePage("report-a-problem", _with(lambda s: f"/providers/{s.listed_provider}/report")),
    SitePage("claim-a-listing", _with(lambda s: f"/providers/{s.listed_provider}/claim")),
    SitePage("funding", "/funding", screenshot=True),
    SitePage("learning-we-share", "/learning/shared", screenshot=True),
    SitePage("privacy", "/privacy", screenshot=True),
    SitePage("accessibility", "/accessibility", screenshot=True),
    SitePage("standards", "/standards", screenshot=True),
    SitePage("feedback", "/feedback?from=/search", screenshot=True),
    SitePage("feedback-sent", "/feedback/sent?back=/search"),
    SitePage("shortlist-empty", "/shortlist"),
    SitePage(
        "shortlist-shared",
        _with(lambda s: f"/shortlist/shared?ids={s.listed_provider},{s.edited_provider}"),
        screenshot=True,
    ),
    SitePage("apply", "/apply", screenshot=True),
    SitePage("apply-sent", "/apply/sent"),
    SitePage("sign-in", "/sign-in"),
    SitePage("forgotten-password", "/account/forgotten-password", screenshot=True),
    SitePage("reset-link-sent", "/account/forgotten-password/sent"),
    SitePage("reset-link-bad", "/account/new-password/altered", status=410),
    SitePage("invitation-link-bad", "/invitation/altered", status=410),
    SitePage("change-email-link", _change_email_link, screenshot=True),
    SitePage("change-email-link-bad", "/account/change-email/altered", status=410),
    SitePage("listing-check-link-bad", "/listing-check/altered", status=410),
    SitePage("error-404", "/no-such-page", status=404),
    SitePage("error-403", "/admin/applications", signed_in_as="reader", status=403),
    # A provider
    SitePage("provider-dashboard", "/provider", signed_in_as="provider", screenshot=True),
    SitePage("provider-inbox", "/provider/inbox", signed_in_as="provider", screenshot=True),
    SitePage(
        "provider-enquiry",
        _with(lambda s: f"/provider/inbox/{s.enquiry}"),
        signed_in_as="provider",
        screenshot=True,
    ),
    SitePage("provider-listing-form", "/provider/listing", signed_in_as="provider"),
    # The CIC
    SitePage("review-queue", "/admin/applications", signed_in_as="admin", screenshot=True),
    SitePage("your-account", "/account", signed_in_as="provider", screenshot=True),
    SitePage("accounts", "/admin/accounts", signed_in_as="admin", screenshot=True),
    # Recording funding (a fund's and a commitment's own pages: the funding journey).
    SitePage("funding-record", "/funding/record", signed_in_as="admin"),
    SitePage("funding-tiers", "/funding/record/tiers", signed_in_as="admin"),
    SitePage("funding-new-fund", "/funding/record/funds/new", signed_in_as="admin"),
    SitePage("funding-new-commitment", "/funding/record/commitments/new", signed_in_as="admin"),
    SitePage("managed-account", _provider_account_page, signed_in_as="admin", screenshot=True),
    SitePage("review-queue-edits", "/admin/queue?kind=edits", signed_in_as="admin"),
    SitePage("review-queue-reports", "/admin/queue?kind=reports", signed_in_as="admin"),
    SitePage("review-queue-renewals", "/admin/queue?kind=renewals", signed_in_as="admin"),
    SitePage("review-queue-lapsed", "/admin/queue?kind=lapsed", signed_in_as="admin"),
    SitePage(
        "review-queue-assigned-to-me",
        "/admin/queue?kind=applications&assigned=me",
        signed_in_as="admin",
    ),
    SitePage(
        "confirm-approve",
        _with(lambda s: f"/admin/providers/{s.pending_provider}/confirm/approve"),
        signed_in_as="admin",
    ),
    SitePage(
        "confirm-decline",
        _with(lambda s: f"/admin/providers/{s.pending_provider}/confirm/decline"),
        signed_in_as="admin",
    ),
    SitePage("import-upload", "/admin/import", signed_in_as="admin"),
    SitePage(
        "review-queue-sorted", "/admin/queue?kind=applications&sort=-name", signed_in_as="admin"
    ),
    SitePage("accounts-sorted", "/admin/accounts?sort=-email", signed_in_as="admin"),
    SitePage(
        "review-queue-filtered",
        "/admin/queue?kind=applications&status=applied&district=KA7&q=care",
        signed_in_as="admin",
    ),
    SitePage(
        "admin-provider",
        _with(lambda s: f"/admin/providers/{s.pending_provider}"),
        signed_in_as="admin",
        screenshot=True,
    ),
    SitePage(
        "admin-provider-changes",
        _with(lambda s: f"/admin/providers/{s.edited_provider}"),
        signed_in_as="admin",
    ),
    SitePage("admin-provider-as-it-was", _as_of_last_week, signed_in_as="admin"),
    SitePage("coverage", "/admin/coverage", signed_in_as="admin", screenshot=True),
    SitePage(
        "coverage-one-area",
        "/admin/coverage?area=South+Ayrshire",
        signed_in_as="admin",
        screenshot=True,
    ),
    SitePage(
        "coverage-providers",
        "/admin/coverage/providers?district=KA7&service=companionship",
        signed_in_as="admin",
    ),
    SitePage("other-provision", "/admin/other-provision", signed_in_as="admin", screenshot=True),
    SitePage("coverage-other", "/admin/coverage/other?district=KA7", signed_in_as="admin"),
    SitePage(
        "unmet-demand",
        _with(lambda _s: "/admin/unmet-demand"),  # after the scenery's signals
        signed_in_as="admin",
        screenshot=True,
    ),
    SitePage("audit-log", "/admin/audit", signed_in_as="admin"),
    SitePage("feedback-waiting", "/admin/feedback", signed_in_as="admin"),
    SitePage("invitations", "/admin/invitations", signed_in_as="admin", screenshot=True),
    SitePage("mail", "/admin/mail", signed_in_as="admin", screenshot=True),
    SitePage("mail-local", "/admin/mail/local", signed_in_as="admin"),
    SitePage("claims", "/admin/claims", signed_in_as="admin"),
    # A learning team
    SitePage("learning-home", "/learning/", signed_in_as="team", screenshot=True),
    # Across the teams (a CIC administrator reads what anyone signed in may; the partnership
    # journey reads it as a partnership lead).
    SitePage(
        "learning-partnership", "/learning/partnership", signed_in_as="admin", screenshot=True
    ),
    SitePage("learning-team", _with(lambda s: f"/learning/teams/{s.team}"), signed_in_as="team"),
    SitePage(
        "learning-timeline",
        _with(lambda s: f"/learning/teams/{s.team}/timeline"),
        signed_in_as="team",
        screenshot=True,
    ),
    SitePage(
        "learning-timeline-filtered",
        _with(lambda s: f"/learning/teams/{s.team}/timeline?theme=transport"),
        signed_in_as="team",
    ),
    SitePage(
        "learning-board",
        _with(lambda s: f"/learning/teams/{s.team}/experiments"),
        signed_in_as="team",
        screenshot=True,
    ),
    SitePage(
        "learning-experiment-story",
        _with(lambda s: f"/learning/experiments/{s.experiment}"),
        signed_in_as="team",
        screenshot=True,
    ),
    SitePage(
        "learning-comment-edit",
        _with(lambda s: f"/learning/comments/{s.comment}/edit"),
        signed_in_as="team",
    ),
    SitePage(
        "learning-themes", _with(lambda s: f"/learning/teams/{s.team}/themes"), signed_in_as="team"
    ),
    SitePage(
        "learning-principles",
        _with(lambda s: f"/learning/teams/{s.team}/principles"),
        signed_in_as="team",
    ),
    SitePage(
        "learning-what-changed",
        _with(lambda s: f"/learning/teams/{s.team}/changes"),
        signed_in_as="team",
    ),
    SitePage(
        "learning-report", _with(lambda s: f"/learning/teams/{s.team}/report"), signed_in_as="team"
    ),
    SitePage("learning-search", "/learning/search?q=lift", signed_in_as="team", screenshot=True),
    SitePage(
        "learning-search-narrowed",
        "/learning/search?q=lifts&kind=reflection&principle=person-led-care",
        signed_in_as="team",
    ),
    SitePage(
        "learning-reflection",
        _with(lambda s: f"/learning/reflections/{s.reflection}"),
        signed_in_as="team",
    ),
    SitePage(
        "learning-reflection-versions",
        _with(lambda s: f"/learning/reflections/{s.reflection}/versions"),
        signed_in_as="team",
    ),
    SitePage(
        "learning-voice-form",
        _with(lambda s: f"/learning/reflections/{s.reflection}/voices/new"),
        signed_in_as="team",
    ),
    SitePage(
        "learning-reflection-form",
        _with(lambda s: f"/learning/teams/{s.team}/reflections/new"),
        signed_in_as="team",
        screenshot=True,
    ),
    SitePage(
        "learning-experiment-form",
        _with(lambda s: f"/learning/teams/{s.team}/experiments/new"),
        signed_in_as="team",
    ),
    SitePage(
        "learning-experiment-making-sense",
        _with(lambda s: f"/learning/experiments/{s.studied}"),
        signed_in_as="team",
        screenshot=True,
    ),
    SitePage(
        "learning-experiment-conclude",
        _with(lambda s: f"/learning/experiments/{s.studied}/conclude"),
        signed_in_as="team",
        screenshot=True,
    ),
    SitePage(
        "learning-experiment-amend",
        _with(lambda s: f"/learning/experiments/{s.studied}/amend"),
        signed_in_as="team",
    ),
    SitePage(
        "learning-experiment-locked-form",
        _with(lambda s: f"/learning/experiments/{s.studied}/edit"),
        signed_in_as="team",
    ),
    SitePage(
        "learning-observation-correction",
        _with(lambda s: f"/learning/experiments/{s.studied}/observations/{s.observation}/correct"),
        signed_in_as="team",
    ),
]
