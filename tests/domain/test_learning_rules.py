"""Teams, reflections and experiments: the rules they keep, in memory (no database)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from uuid import UUID

import pytest

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError, InvalidTransition, StaleState
from cairn.domain.learning.commands import NotAllowed
from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.reflection import Reflection
from cairn.domain.learning.team import Team
from cairn.domain.learning.vocabulary import (
    CONCLUDED,
    MAKING_SENSE,
    PUBLIC,
    RUNNING,
    SHARED,
    SYSTEM_PROBE,
)
from tests.support.learning import days_ago, experiment, reflection


@pytest.fixture
def app() -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def account(app: CairnApp, email: str, *roles: Role) -> UUID:
    return app.accounts.register(email, "Someone", list(roles), "correct-horse-battery").id


@pytest.fixture
def admin(app: CairnApp) -> UUID:
    return account(app, "admin@cic.example", Role.CIC_ADMIN)


@pytest.fixture
def lead(app: CairnApp) -> UUID:
    return account(app, "lead@team.example")


@pytest.fixture
def team(app: CairnApp, admin: UUID, lead: UUID) -> UUID:
    return app.learning.form_team("Carrick", "Lifts", by=admin, lead_id=lead).id


# -- teams --------------------------------------------------------------------------------


def test_only_a_cic_admin_forms_a_team(app: CairnApp, lead: UUID) -> None:
    with pytest.raises(NotAllowed, match="CIC administrator"):
        app.learning.form_team("Carrick", "", by=lead)


def test_a_team_needs_a_name(app: CairnApp, admin: UUID) -> None:
    with pytest.raises(DomainError, match="name"):
        app.learning.form_team("   ", "", by=admin)


def test_joining_a_team_grants_the_team_member_role(app: CairnApp, team: UUID, lead: UUID) -> None:
    assert app.load(Account, lead).has_role(Role.TEAM_MEMBER)
    newcomer = account(app, "new@team.example")
    app.learning.add_member(team, newcomer, by=lead)
    assert app.load(Account, newcomer).has_role(Role.TEAM_MEMBER)
    assert app.load(Team, team).is_member(newcomer)


def test_a_member_who_is_not_a_lead_cannot_add_people(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    member = account(app, "m@team.example")
    app.learning.add_member(team, member, by=lead)
    outsider = account(app, "o@team.example")
    with pytest.raises(NotAllowed, match="team lead"):
        app.learning.add_member(team, outsider, by=member)
    assert not app.load(Team, team).is_member(outsider)


def test_a_person_can_be_in_several_teams(
    app: CairnApp, admin: UUID, team: UUID, lead: UUID
) -> None:
    other = app.learning.form_team("Leith", "", by=admin).id
    app.learning.add_member(other, lead, by=admin)
    assert app.load(Team, team).is_member(lead) and app.load(Team, other).is_member(lead)


def test_adding_someone_twice_and_removing_the_last_lead_are_refused(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    with pytest.raises(DomainError, match="already in this team"):
        app.learning.add_member(team, lead, by=lead, as_lead=True)
    with pytest.raises(DomainError, match="needs a lead"):
        app.learning.remove_member(team, lead, by=lead)


def test_an_unknown_email_is_named_in_the_message(app: CairnApp, team: UUID, lead: UUID) -> None:
    with pytest.raises(DomainError, match=r"nobody@x\.example"):
        app.learning.add_member_by_email(team, "nobody@x.example", by=lead)


def test_sharing_names_other_real_teams(app: CairnApp, admin: UUID, team: UUID, lead: UUID) -> None:
    other = app.learning.form_team("Leith", "", by=admin).id
    with pytest.raises(DomainError, match="own learning"):
        app.learning.share(team, [team], everyone=False, by=lead)
    app.learning.share(team, [other], everyone=True, by=lead)
    shared = app.load(Team, team)
    assert shared.shared_with == (other,) and shared.shared_with_everyone
    with pytest.raises(StaleState):
        app.learning.share(team, [], everyone=False, by=lead, expected_version=2)


# -- reflections ------------------------------------------------------------------------


def test_a_reflection_is_recorded_tidy(app: CairnApp, team: UUID, lead: UUID) -> None:
    done = app.learning.record_reflection(
        team, reflection(themes=("Rural access, Loneliness", "loneliness")), by=lead
    )
    content = app.load(Reflection, done.id).content
    assert content.themes == ("rural-access", "loneliness")
    assert content.title == "Lifts to the day centre"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "title"),
        ({"what_happened": ""}, "what happened"),
        ({"what_we_learned": ""}, "what you learned"),
        ({"happened_on": days_ago(-1)}, "future"),
        ({"voices": ("unpaid-carer",)}, "consent"),
        ({"voices": ("Mrs Smith",)}, "voices"),
        ({"principles": ("targets",)}, "principles"),
        ({"visibility": "friends"}, "who can read"),
        ({"district": "not a district"}, "district"),
    ],
)
def test_a_reflection_that_breaks_a_rule_is_refused_and_nothing_is_saved(
    app: CairnApp, team: UUID, lead: UUID, changes: dict[str, object], message: str
) -> None:
    head = app.head()
    with pytest.raises(DomainError, match=f"(?i){message}"):
        app.learning.record_reflection(team, reflection(**changes), by=lead)
    assert app.head() == head


def test_consent_is_recorded_only_for_lived_experience_voices(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    with_consent = app.learning.record_reflection(
        team, reflection(voices=("unpaid-carer",), consent_recorded=True), by=lead
    )
    assert app.load(Reflection, with_consent.id).content.consent_recorded
    without = app.learning.record_reflection(
        team, reflection(voices=("practitioner",), consent_recorded=True), by=lead
    )
    assert not app.load(Reflection, without.id).content.consent_recorded


def test_only_members_record_reflections_for_a_team(app: CairnApp, team: UUID) -> None:
    outsider = account(app, "o@x.example", Role.TEAM_MEMBER)
    with pytest.raises(NotAllowed, match="Only members of Carrick"):
        app.learning.record_reflection(team, reflection(), by=outsider)


def test_editing_keeps_every_earlier_version(app: CairnApp, team: UUID, lead: UUID) -> None:
    done = app.learning.record_reflection(team, reflection(), by=lead)
    app.learning.revise_reflection(
        done.id, reflection(title="Second thoughts"), by=lead, expected_version=1
    )
    app.learning.revise_reflection(done.id, reflection(title="Third"), by=lead)
    history = app.load(Reflection, done.id).history
    assert [v.title for v in history] == ["Lifts to the day centre", "Second thoughts", "Third"]
    with pytest.raises(DomainError, match="Nothing changed"):
        app.learning.revise_reflection(done.id, reflection(title="Third"), by=lead)


def test_a_second_edit_of_the_same_version_is_stale(app: CairnApp, team: UUID, lead: UUID) -> None:
    done = app.learning.record_reflection(team, reflection(), by=lead)
    app.learning.revise_reflection(done.id, reflection(title="Mine"), by=lead, expected_version=1)
    with pytest.raises(StaleState):
        app.learning.revise_reflection(
            done.id, reflection(title="Theirs"), by=lead, expected_version=1
        )
    assert app.load(Reflection, done.id).content.title == "Mine"


def test_a_reflection_links_only_to_things_that_exist(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    with pytest.raises(DomainError, match="could not find"):
        app.learning.record_reflection(team, reflection(experiment_id=uuid.uuid4()), by=lead)


# -- experiments ------------------------------------------------------------------------


def test_a_hypothesis_test_needs_a_prediction_but_a_probe_does_not(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    with pytest.raises(DomainError, match="prediction"):
        app.learning.propose_experiment(team, experiment(prediction=""), by=lead)
    probe = app.learning.propose_experiment(
        team, experiment(kind=SYSTEM_PROBE, prediction=""), by=lead
    )
    assert app.load(Experiment, probe.id).content.kind == SYSTEM_PROBE


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"funder": ""}, "funding"),
        ({"funding_amount": None}, "funding amount"),
        ({"committed_months": 500}, "months"),
        ({"starts_on": days_ago(1), "ends_on": days_ago(5)}, "end date"),
        ({"kind": "pilot"}, "hypothesis test or a system probe"),
    ],
)
def test_an_experiment_that_breaks_a_rule_is_refused(
    app: CairnApp, team: UUID, lead: UUID, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(DomainError, match=f"(?i){message}"):
        app.learning.propose_experiment(team, experiment(**changes), by=lead)


def running(app: CairnApp, team: UUID, lead: UUID) -> UUID:
    done = app.learning.propose_experiment(team, experiment(), by=lead, proposed_on=days_ago(60))
    app.learning.start_experiment(done.id, by=lead, on=days_ago(50))
    return done.id


def test_the_lifecycle_goes_in_order(app: CairnApp, team: UUID, lead: UUID) -> None:
    proposed = app.learning.propose_experiment(team, experiment(), by=lead).id
    with pytest.raises(InvalidTransition, match="it is proposed, not running"):
        app.learning.add_observation(proposed, "Too early", by=lead, role="practitioner")
    with pytest.raises(InvalidTransition):
        app.learning.begin_sense_making(proposed, by=lead)

    started = running(app, team, lead)
    with pytest.raises(InvalidTransition, match="making sense"):
        app.learning.conclude_experiment(started, "adopt", learned="x", reason="y", by=lead)
    app.learning.begin_sense_making(started, by=lead)
    assert app.load(Experiment, started).stage == MAKING_SENSE
    with pytest.raises(InvalidTransition):
        app.learning.add_observation(started, "Too late", by=lead, role="practitioner")


def test_observations_are_dated_within_the_run(app: CairnApp, team: UUID, lead: UUID) -> None:
    started = running(app, team, lead)
    with pytest.raises(DomainError, match="before the experiment started"):
        app.learning.add_observation(started, "x", by=lead, role="practitioner", on=days_ago(55))
    with pytest.raises(DomainError, match="future"):
        app.learning.add_observation(started, "x", by=lead, role="practitioner", on=days_ago(-2))
    app.learning.add_observation(
        started, "Two came back", by=lead, role="practitioner", on=days_ago(40)
    )
    [observation] = app.load(Experiment, started).observations.values()
    assert (observation.on, observation.text) == (days_ago(40), "Two came back")
    assert app.load(Experiment, started).stage == RUNNING


def test_a_conclusion_needs_what_we_learned_and_why(app: CairnApp, team: UUID, lead: UUID) -> None:
    started = running(app, team, lead)
    app.learning.begin_sense_making(started, by=lead)
    study = {"against_prediction": "Fewer came back than we said"}
    with pytest.raises(DomainError, match="what you learned"):
        app.learning.conclude_experiment(
            started, "adopt", learned=" ", reason="y", by=lead, **study
        )
    with pytest.raises(DomainError, match="reason"):
        app.learning.conclude_experiment(
            started, "abandon", learned="x", reason="", by=lead, **study
        )
    with pytest.raises(DomainError, match="next cycle"):
        app.learning.conclude_experiment(started, "adapt", learned="x", reason="y", by=lead)
    app.learning.conclude_experiment(started, "abandon", learned="x", reason="y", by=lead, **study)
    concluded = app.load(Experiment, started)
    assert concluded.stage == CONCLUDED and concluded.outcome == "abandon"
    with pytest.raises(InvalidTransition, match="concluded"):
        app.learning.revise_experiment(started, experiment(title="Again"), by=lead)


def test_adapting_starts_the_next_cycle_linked_to_the_first(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    first = running(app, team, lead)
    app.learning.begin_sense_making(first, by=lead)
    second = app.learning.conclude_experiment(
        first,
        "adapt",
        against_prediction="Two came back, not most",
        learned="People will not ask",
        reason="Offer it instead",
        next_try="A standing weekly lift",
        by=lead,
    ).id
    earlier, later = app.load(Experiment, first), app.load(Experiment, second)
    assert earlier.outcome == "adapt" and earlier.next_id == second
    assert later.previous_id == first and later.chain_id == first and later.cycle == 2
    assert later.content.what_we_try == "A standing weekly lift"
    assert later.stage == "proposed"


def test_only_members_move_an_experiment_on(app: CairnApp, team: UUID, lead: UUID) -> None:
    started = running(app, team, lead)
    outsider = account(app, "o@x.example", Role.TEAM_MEMBER)
    with pytest.raises(NotAllowed):
        app.learning.add_observation(started, "x", by=outsider, role="practitioner")
    with pytest.raises(StaleState):
        app.learning.begin_sense_making(started, by=lead, expected_version=1)


def test_funding_and_visibility_survive_a_revision(app: CairnApp, team: UUID, lead: UUID) -> None:
    done = app.learning.propose_experiment(team, experiment(), by=lead)
    changed = replace(experiment(), visibility=PUBLIC, funder="Another fund")
    app.learning.revise_experiment(done.id, changed, by=lead, expected_version=1)
    content = app.load(Experiment, done.id).content
    assert content.visibility == PUBLIC and content.funder == "Another fund"
    assert str(content.funding_amount) == "18000"


def test_shared_is_a_visibility_a_reflection_can_have(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    done = app.learning.record_reflection(team, reflection(visibility=SHARED), by=lead)
    assert app.load(Reflection, done.id).content.visibility == SHARED
