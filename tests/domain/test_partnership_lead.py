"""The partnership lead: forms teams, gives them members, records funding; and experiments
that build on others, across teams. In memory (no database)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.roles import ROLE_LABELS, Role, reads_across_teams, runs_partnership
from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError
from cairn.domain.funding.commands import NotAllowedToFund
from cairn.domain.learning.commands import NotAllowed
from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.team import Team
from cairn.domain.learning.visibility import Reader
from cairn.domain.learning.vocabulary import PUBLIC, SHARED, SIGNED_IN, TEAM
from tests.support.learning import experiment

PASSWORD = "correct-horse-battery"


@pytest.fixture
def app() -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def account(app: CairnApp, email: str, *roles: Role) -> UUID:
    return app.accounts.register(email, "Someone", list(roles), PASSWORD).id


@pytest.fixture
def admin(app: CairnApp) -> UUID:
    return account(app, "admin@cic.example", Role.CIC_ADMIN)


@pytest.fixture
def partnership_lead(app: CairnApp) -> UUID:
    return account(app, "lead@partnership.example", Role.PARTNERSHIP_LEAD)


# -- the role -------------------------------------------------------------------------------


def test_every_role_has_a_label_and_the_partnership_roles_are_the_admin_and_the_lead() -> None:
    assert set(ROLE_LABELS) == set(Role)
    assert runs_partnership(["partnership-lead"]) and runs_partnership(["cic-admin"])
    assert not runs_partnership(["team-member", "provider"])
    # Reading across the teams is the lead's alone: an administrator runs the platform.
    assert reads_across_teams(["partnership-lead"]) and not reads_across_teams(["cic-admin"])


def test_a_partnership_lead_forms_a_team_and_gives_it_members(
    app: CairnApp, partnership_lead: UUID
) -> None:
    first_lead = account(app, "ann@team.example")
    team = app.learning.form_team("Carrick", "Lifts", by=partnership_lead, lead_id=first_lead).id
    member = account(app, "bob@team.example")
    app.learning.add_member(team, member, by=partnership_lead)
    app.learning.add_member_by_email(team, "bob@team.example", by=partnership_lead, as_lead=True)
    formed = app.load(Team, team)
    assert formed.is_lead(first_lead) and formed.is_lead(member)
    # ... and takes someone out again, without being in the team.
    app.learning.remove_member(team, member, by=partnership_lead)
    assert not app.load(Team, team).is_member(member)
    assert not formed.is_member(partnership_lead)


def test_a_team_member_still_cannot_form_a_team(app: CairnApp, admin: UUID) -> None:
    member = account(app, "m@team.example", Role.TEAM_MEMBER)
    with pytest.raises(NotAllowed, match="partnership lead or a CIC administrator"):
        app.learning.form_team("Carrick", "", by=member)


def test_sharing_and_redaction_stay_with_the_teams_leads(
    app: CairnApp, admin: UUID, partnership_lead: UUID
) -> None:
    team = app.learning.form_team("Carrick", "", by=admin, lead_id=account(app, "a@t.example")).id
    with pytest.raises(NotAllowed, match="team lead or a CIC administrator"):
        app.learning.share(team, [], everyone=True, by=partnership_lead)


def test_a_partnership_lead_creates_a_member_account_saved_with_its_membership(
    app: CairnApp, partnership_lead: UUID
) -> None:
    team = app.learning.form_team("Carrick", "", by=partnership_lead).id
    done = app.learning.create_member_account(
        "new@team.example", "Nan", PASSWORD, by=partnership_lead, team_id=team
    )
    assert app.load(Team, team).is_member(done.id)
    assert app.load(Account, done.id).has_role(Role.TEAM_MEMBER)
    assert not app.load(Account, done.id).has_role(Role.PARTNERSHIP_LEAD)


def test_only_a_cic_admin_makes_a_partnership_lead(
    app: CairnApp, admin: UUID, partnership_lead: UUID
) -> None:
    with pytest.raises(NotAllowed, match="Only a CIC administrator"):
        app.learning.create_member_account(
            "x@team.example", "X", PASSWORD, by=partnership_lead, partnership_lead=True
        )
    made = app.learning.create_member_account(
        "y@team.example", "Y", PASSWORD, by=admin, partnership_lead=True
    )
    assert app.load(Account, made.id).has_role(Role.PARTNERSHIP_LEAD)
    someone = account(app, "z@team.example", Role.TEAM_MEMBER)
    with pytest.raises(DomainError, match="CIC administrator"):
        app.accounts.make_partnership_lead(someone, by=partnership_lead)
    app.accounts.make_partnership_lead(someone, by=admin)
    assert app.load(Account, someone).has_role(Role.PARTNERSHIP_LEAD)
    with pytest.raises(DomainError, match="already has that role"):
        app.accounts.make_partnership_lead(someone, by=admin)


def test_a_team_member_cannot_create_accounts(app: CairnApp) -> None:
    member = account(app, "m@team.example", Role.TEAM_MEMBER)
    with pytest.raises(NotAllowed, match="create accounts"):
        app.learning.create_member_account("n@team.example", "N", PASSWORD, by=member)


def test_a_partnership_lead_records_funding_and_a_team_member_cannot(
    app: CairnApp, partnership_lead: UUID
) -> None:
    fund = app.funding.open_fund(
        "ADP",
        "Fund",
        starts_on=date(2026, 4, 1),
        ends_on=date(2029, 3, 31),
        restricted=False,
        by=partnership_lead,
    )
    assert fund.id
    member = account(app, "m@team.example", Role.TEAM_MEMBER)
    with pytest.raises(NotAllowedToFund, match="partnership lead or a CIC administrator"):
        app.funding.define_tier(1, "Universal", by=member)


# -- reading across teams -------------------------------------------------------------------


def test_a_partnership_lead_reads_every_teams_shared_learning_but_not_team_only() -> None:
    mine, theirs = uuid4(), uuid4()
    lead = Reader(account_id=uuid4(), partnership=True)
    for visibility in (SHARED, SIGNED_IN, PUBLIC):
        assert lead.may_read(visibility, theirs)
    assert not lead.may_read(TEAM, theirs)
    assert not lead.sees_names_in(theirs)
    # A lead who is also in a team reads that team's own learning, as any member does.
    member_lead = Reader(account_id=uuid4(), member_of=frozenset({mine}), partnership=True)
    assert member_lead.may_read(TEAM, mine) and not member_lead.may_read(TEAM, theirs)
    # Without the role, 'shared' reaches only the teams that share with the reader.
    assert not Reader(account_id=uuid4()).may_read(SHARED, theirs)


# -- builds on ------------------------------------------------------------------------------


@pytest.fixture
def two_teams(app: CairnApp, admin: UUID) -> tuple[UUID, UUID, UUID, UUID]:
    ann, cat = account(app, "ann@a.example"), account(app, "cat@b.example")
    team_a = app.learning.form_team("A", "", by=admin, lead_id=ann).id
    team_b = app.learning.form_team("B", "", by=admin, lead_id=cat).id
    return team_a, ann, team_b, cat


def test_an_experiment_builds_on_another_teams(
    app: CairnApp, two_teams: tuple[UUID, UUID, UUID, UUID]
) -> None:
    team_a, ann, team_b, cat = two_teams
    earlier = app.learning.propose_experiment(team_a, experiment(), by=ann).id
    later = app.learning.propose_experiment(
        team_b, experiment(title="Lifts, Girvan"), by=cat, builds_on=[earlier, earlier]
    ).id
    assert app.load(Experiment, later).builds_on == (earlier,)
    events = list(app.repository.event_store.get(later))
    assert isinstance(events[-1], Experiment.BuildsOnSet)
    assert events[-1].experiment_ids == [earlier] and events[-1].by == cat
    # The whole set each time: none at all is a change too.
    app.learning.set_builds_on(later, [], by=cat)
    assert app.load(Experiment, later).builds_on == ()


def test_an_experiment_cannot_build_on_itself(
    app: CairnApp, two_teams: tuple[UUID, UUID, UUID, UUID]
) -> None:
    team_a, ann, _team_b, _cat = two_teams
    itself = app.learning.propose_experiment(team_a, experiment(), by=ann).id
    with pytest.raises(DomainError, match="cannot build on itself"):
        app.learning.set_builds_on(itself, [itself], by=ann)
    assert app.load(Experiment, itself).builds_on == ()


def test_an_unknown_experiment_is_refused_by_its_id(
    app: CairnApp, two_teams: tuple[UUID, UUID, UUID, UUID]
) -> None:
    team_a, ann, _team_b, _cat = two_teams
    unknown = uuid4()
    with pytest.raises(DomainError, match=f"no experiment {unknown} to build on"):
        app.learning.propose_experiment(team_a, experiment(), by=ann, builds_on=[unknown])
    # Not an experiment at all (a team's id) is refused the same way.
    later = app.learning.propose_experiment(team_a, experiment(), by=ann).id
    with pytest.raises(DomainError, match="to build on"):
        app.learning.set_builds_on(later, [team_a], by=ann)


def test_only_the_teams_members_say_what_it_builds_on(
    app: CairnApp, two_teams: tuple[UUID, UUID, UUID, UUID]
) -> None:
    team_a, ann, team_b, cat = two_teams
    earlier = app.learning.propose_experiment(team_a, experiment(), by=ann).id
    later = app.learning.propose_experiment(team_b, experiment(), by=cat).id
    with pytest.raises(NotAllowed):
        app.learning.set_builds_on(later, [earlier], by=ann)


def test_a_revision_changes_the_links_alone_or_with_the_plan(
    app: CairnApp, two_teams: tuple[UUID, UUID, UUID, UUID]
) -> None:
    team_a, ann, _team_b, _cat = two_teams
    earlier = app.learning.propose_experiment(team_a, experiment(), by=ann).id
    later = app.learning.propose_experiment(team_a, experiment(), by=ann).id
    app.learning.revise_experiment(later, experiment(), by=ann, builds_on=[earlier])
    kinds = [type(e).__name__ for e in app.repository.event_store.get(later)]
    assert kinds[-1] == "BuildsOnSet" and "Revised" not in kinds
    app.learning.revise_experiment(later, experiment(title="New title"), by=ann, builds_on=None)
    assert app.load(Experiment, later).builds_on == (earlier,)
    with pytest.raises(DomainError, match="Nothing changed"):
        app.learning.revise_experiment(
            later, experiment(title="New title"), by=ann, builds_on=[earlier]
        )
