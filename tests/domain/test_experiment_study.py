"""Study, then act; predictions that hold; cycles that carry on (issue #20, parts 1-3).

The rules of an experiment's study step, its locked plan and amendments, its observations
(authors, numbers, corrections) and the next cycle, in memory."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError, InvalidTransition
from cairn.domain.learning.content import parse_measure
from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.vocabulary import MAKING_SENSE, RUNNING, SYSTEM_PROBE
from tests.support.learning import TODAY, days_ago, experiment


@pytest.fixture
def app() -> CairnApp:
    return CairnApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


@pytest.fixture
def lead(app: CairnApp) -> UUID:
    return app.accounts.register("lead@team.example", "Lead", [], "correct-horse-battery").id


@pytest.fixture
def team(app: CairnApp, lead: UUID) -> UUID:
    admin = app.accounts.register(
        "admin@cic.example", "Admin", [Role.CIC_ADMIN], "correct-horse-battery"
    ).id
    return app.learning.form_team("Carrick", "Lifts", by=admin, lead_id=lead).id


def running(app: CairnApp, team: UUID, lead: UUID, **changes: Any) -> UUID:
    done = app.learning.propose_experiment(
        team, experiment(**changes), by=lead, proposed_on=days_ago(60)
    )
    app.learning.start_experiment(done.id, by=lead, on=days_ago(50))
    return done.id


def making_sense(app: CairnApp, team: UUID, lead: UUID, **changes: Any) -> UUID:
    started = running(app, team, lead, **changes)
    app.learning.begin_sense_making(started, by=lead, on=days_ago(5))
    return started


def events_of(app: CairnApp, experiment_id: UUID) -> list[Any]:
    return list(app.repository.event_store.get(experiment_id))


# -- 1. study, then act -------------------------------------------------------------------


def test_concluding_asks_what_happened_against_the_prediction(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    x = making_sense(app, team, lead)
    with pytest.raises(DomainError, match="against the prediction"):
        app.learning.conclude_experiment(x, "adopt", learned="l", reason="r", by=lead)
    app.learning.conclude_experiment(
        x,
        "adopt",
        against_prediction="Fewer came back than we said.",
        surprises="The drivers became friends.",
        learned="Familiar faces matter.",
        reason="It works.",
        by=lead,
    )
    concluded = events_of(app, x)[-1]
    assert isinstance(concluded, Experiment.Concluded)
    assert concluded.against_prediction == "Fewer came back than we said."
    assert concluded.surprises == "The drivers became friends."
    loaded = app.load(Experiment, x)
    assert (loaded.against_prediction, loaded.surprises) == (
        "Fewer came back than we said.",
        "The drivers became friends.",
    )


def test_a_probe_concludes_without_a_prediction_to_compare(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    x = making_sense(app, team, lead, kind=SYSTEM_PROBE, prediction="")
    app.learning.conclude_experiment(x, "abandon", learned="l", reason="r", by=lead)
    assert app.load(Experiment, x).against_prediction == ""


def test_a_sense_making_session_records_its_date_roles_notes_and_voices(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    x = making_sense(app, team, lead)
    app.learning.hold_sense_making(
        x,
        on=days_ago(2),
        roles=("peer-worker", "commissioner"),
        notes="We read the observations aloud together.",
        voices=("person-using-support",),
        consent_recorded=True,
        by=lead,
    )
    held = events_of(app, x)[-1]
    assert isinstance(held, Experiment.SenseMakingHeld)
    # Roles keep the vocabulary's order, whatever order they were ticked in.
    assert tuple(held.roles) == ("peer-worker", "commissioner")
    assert held.on == days_ago(2) and held.consent_recorded
    assert app.load(Experiment, x).stage == MAKING_SENSE


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"on": days_ago(-1)}, "cannot be in the future"),
        ({"on": days_ago(51)}, "before the experiment started"),
        ({"roles": ()}, "roles of who took part"),
        ({"roles": ("Jean Smith",)}, "not one of the roles"),
        ({"notes": "  "}, "notes of the session"),
        ({"voices": ("unpaid-carer",), "consent_recorded": False}, "consent"),
    ],
)
def test_a_sense_making_session_that_breaks_a_rule_is_refused_and_nothing_is_saved(
    app: CairnApp, team: UUID, lead: UUID, changes: dict[str, Any], message: str
) -> None:
    x = making_sense(app, team, lead)
    before = len(events_of(app, x))
    session: dict[str, Any] = {
        "on": days_ago(1),
        "roles": ("practitioner",),
        "notes": "We talked it through.",
        **changes,
    }
    with pytest.raises(DomainError, match=message):
        app.learning.hold_sense_making(x, by=lead, **session)
    assert len(events_of(app, x)) == before


def test_consent_is_kept_only_with_a_lived_experience_voice(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    x = making_sense(app, team, lead)
    app.learning.hold_sense_making(
        x,
        roles=("practitioner",),
        notes="n",
        voices=("provider",),
        consent_recorded=True,
        by=lead,
    )
    assert events_of(app, x)[-1].consent_recorded is False


def test_sessions_belong_to_the_making_sense_stage(app: CairnApp, team: UUID, lead: UUID) -> None:
    x = running(app, team, lead)
    with pytest.raises(InvalidTransition, match="it is running, not making sense"):
        app.learning.hold_sense_making(x, roles=("practitioner",), notes="n", by=lead)


def test_an_experiment_goes_back_to_running_with_a_reason(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    x = making_sense(app, team, lead)
    with pytest.raises(DomainError, match="why it goes back to running"):
        app.learning.resume_experiment(x, reason=" ", by=lead)
    with pytest.raises(DomainError, match="between when you began making sense and today"):
        app.learning.resume_experiment(x, reason="More to notice", by=lead, on=days_ago(6))
    app.learning.resume_experiment(x, reason="We need another month.", by=lead)
    assert app.load(Experiment, x).stage == RUNNING
    # Running again: observations are added, and it can be made sense of again.
    app.learning.add_observation(x, "Six now", by=lead, role="practitioner")
    app.learning.begin_sense_making(x, by=lead)
    assert app.load(Experiment, x).stage == MAKING_SENSE


def test_only_an_experiment_being_made_sense_of_goes_back_to_running(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    x = running(app, team, lead)
    with pytest.raises(InvalidTransition, match="go back to running"):
        app.learning.resume_experiment(x, reason="r", by=lead)


# -- 2. predictions that hold --------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"prediction": "Everyone comes back."},
        {"signals": "Counts only."},
        {"what_we_try": "Buses instead."},
        {"kind": SYSTEM_PROBE},
    ],
)
def test_once_running_the_plan_is_locked_against_editing(
    app: CairnApp, team: UUID, lead: UUID, changes: dict[str, Any]
) -> None:
    x = running(app, team, lead)
    with pytest.raises(InvalidTransition, match="amend them, with the reason"):
        app.learning.revise_experiment(x, experiment(**changes), by=lead)


def test_the_rest_of_a_running_experiment_can_still_be_edited(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    x = running(app, team, lead)
    app.learning.revise_experiment(x, experiment(title="Community lifts (Maybole)"), by=lead)
    assert app.load(Experiment, x).content.title == "Community lifts (Maybole)"


def test_before_it_runs_the_plan_is_edited_freely(app: CairnApp, team: UUID, lead: UUID) -> None:
    done = app.learning.propose_experiment(team, experiment(), by=lead)
    app.learning.revise_experiment(done.id, experiment(prediction="Half come back."), by=lead)
    assert app.load(Experiment, done.id).content.prediction == "Half come back."


def _amend(app: CairnApp, x: UUID, lead: UUID, **changes: Any) -> None:
    plan: dict[str, Any] = {
        "what_we_try": "Volunteer drivers booked by phone.",
        "prediction": "Half come back weekly.",
        "signals": "",
        "reason": "Too hopeful: half is what the drivers can manage.",
        **changes,
    }
    app.learning.amend_prediction(x, by=lead, **plan)


def test_an_amendment_is_its_own_event_with_the_reason(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    x = running(app, team, lead)
    _amend(app, x, lead, on=days_ago(3))
    amended = events_of(app, x)[-1]
    assert isinstance(amended, Experiment.PredictionAmended)
    assert amended.reason == "Too hopeful: half is what the drivers can manage."
    assert amended.on == days_ago(3) and amended.prediction == "Half come back weekly."
    loaded = app.load(Experiment, x)
    assert loaded.content.prediction == "Half come back weekly." and loaded.amendments == 1
    # The original is still in the log, in the proposal.
    assert events_of(app, x)[0].content["prediction"] == "Most people come back weekly."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": ""}, "reason for the amendment"),
        ({"prediction": ""}, "needs a prediction"),
        ({"on": days_ago(-1)}, "between the start and today"),
        ({"on": days_ago(55)}, "between the start and today"),
        ({"prediction": "Most people come back weekly."}, "Nothing changed"),
    ],
)
def test_an_amendment_that_breaks_a_rule_is_refused_and_nothing_is_saved(
    app: CairnApp, team: UUID, lead: UUID, changes: dict[str, Any], message: str
) -> None:
    x = running(app, team, lead)
    before = len(events_of(app, x))
    unchanged = {"what_we_try": "Volunteer drivers booked by phone.", "signals": ""}
    with pytest.raises(DomainError, match=message):
        _amend(app, x, lead, **{**unchanged, **changes})
    assert len(events_of(app, x)) == before


def test_only_a_running_plan_is_amended(app: CairnApp, team: UUID, lead: UUID) -> None:
    proposed = app.learning.propose_experiment(team, experiment(), by=lead).id
    with pytest.raises(InvalidTransition, match="edit the plan"):
        _amend(app, proposed, lead)
    x = making_sense(app, team, lead)
    _amend(app, x, lead)  # while making sense, too
    app.learning.conclude_experiment(
        x, "adopt", against_prediction="a", learned="l", reason="r", by=lead
    )
    with pytest.raises(InvalidTransition):
        _amend(app, x, lead, prediction="Another")


# -- 3. cycles that carry on ---------------------------------------------------------------


def test_a_proposal_may_be_dated_in_the_past_but_not_the_future(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    done = app.learning.propose_experiment(team, experiment(), by=lead, proposed_on=days_ago(90))
    assert app.load(Experiment, done.id).proposed_on == days_ago(90)
    with pytest.raises(DomainError, match="proposed cannot be in the future"):
        app.learning.propose_experiment(team, experiment(), by=lead, proposed_on=days_ago(-1))


def test_the_next_cycle_carries_funding_dates_and_question_forward(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    x = making_sense(app, team, lead, starts_on=days_ago(50), ends_on=days_ago(-30))
    following = app.learning.conclude_experiment(
        x,
        "adapt",
        against_prediction="Two came back",
        learned="People will not ask",
        reason="Offer it instead",
        next_try="A standing weekly lift",
        by=lead,
    ).id
    first, second = app.load(Experiment, x).content, app.load(Experiment, following).content
    assert second.funding_amount == Decimal("18000") and second.funder == first.funder
    assert second.committed_months == 36
    assert (second.starts_on, second.ends_on) == (days_ago(50), days_ago(-30))
    assert second.question == first.question
    assert second.what_we_try == "A standing weekly lift"


def test_each_cycle_can_ask_its_own_question(app: CairnApp, team: UUID, lead: UUID) -> None:
    x = making_sense(app, team, lead)
    following = app.learning.conclude_experiment(
        x,
        "adapt",
        against_prediction="Two came back",
        learned="People will not ask",
        reason="Offer it instead",
        next_question="Will a standing lift, offered in person, bring them back?",
        next_try="A standing weekly lift",
        by=lead,
    ).id
    assert app.load(Experiment, following).content.question == (
        "Will a standing lift, offered in person, bring them back?"
    )
    assert app.load(Experiment, x).content.question == "Will volunteer lifts bring people back?"


def test_an_observation_has_an_author_role_and_may_carry_a_number(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    x = running(app, team, lead)
    app.learning.add_observation(
        x, "Four came back", by=lead, role="peer-worker", value=Decimal("4"), unit="people"
    )
    [observation] = app.load(Experiment, x).observations.values()
    assert observation.role == "peer-worker"
    assert (observation.value, observation.unit) == (Decimal("4"), "people")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": ""}, "Choose your role"),
        ({"role": "Morag"}, "Choose your role"),
        ({"value": Decimal(3)}, "what the number counts"),
        ({"unit": "people"}, "Enter the number"),
        ({"on": days_ago(51)}, "before the experiment started"),
        ({"on": days_ago(-1)}, "cannot be in the future"),
    ],
)
def test_an_observation_that_breaks_a_rule_is_refused_and_nothing_is_saved(
    app: CairnApp, team: UUID, lead: UUID, changes: dict[str, Any], message: str
) -> None:
    x = running(app, team, lead)
    before = len(events_of(app, x))
    observation: dict[str, Any] = {"role": "practitioner", **changes}
    with pytest.raises(DomainError, match=message):
        app.learning.add_observation(x, "Something", by=lead, **observation)
    assert len(events_of(app, x)) == before


@pytest.mark.parametrize(
    ("typed", "number"),
    [("12", Decimal(12)), (" 3.5 ", Decimal("3.5")), ("1,200", Decimal(1200)), ("", None)],
)
def test_a_number_is_read_as_people_type_it(typed: str, number: Decimal | None) -> None:
    assert parse_measure(typed) == number


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("a few", "as digits"),
        ("NaN", "as digits"),
        ("1e12", "smaller than a billion"),
        ("0.12345", "4 decimal places"),
    ],
)
def test_a_number_that_is_not_one_is_refused(typed: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        parse_measure(typed)


def test_a_correction_is_a_new_version_and_the_earlier_stays_in_the_log(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    x = running(app, team, lead)
    app.learning.add_observation(
        x, "Four came back", by=lead, role="practitioner", value=Decimal(4), unit="people"
    )
    [observation_id] = app.load(Experiment, x).observations
    app.learning.correct_observation(
        x,
        observation_id,
        "Five came back",
        by=lead,
        role="practitioner",
        value=Decimal(5),
        unit="people",
    )
    now = app.load(Experiment, x).observations[observation_id]
    assert (now.text, now.value, now.version, now.on) == ("Five came back", 5, 2, TODAY)
    kinds = [type(e).__name__ for e in events_of(app, x)]
    assert kinds[-2:] == ["ObservationAdded", "ObservationCorrected"]
    assert events_of(app, x)[-2].text == "Four came back"


def test_a_correction_that_breaks_a_rule_is_refused(app: CairnApp, team: UUID, lead: UUID) -> None:
    x = running(app, team, lead)
    app.learning.add_observation(x, "Four came back", by=lead, role="practitioner")
    [observation_id] = app.load(Experiment, x).observations
    with pytest.raises(DomainError, match="Nothing changed"):
        app.learning.correct_observation(
            x, observation_id, "Four came back", by=lead, role="practitioner"
        )
    with pytest.raises(DomainError, match="before the experiment started"):
        app.learning.correct_observation(
            x, observation_id, "Five", by=lead, role="practitioner", on=days_ago(51)
        )
    with pytest.raises(DomainError, match="no such observation"):
        app.learning.correct_observation(x, uuid4(), "Five", by=lead, role="practitioner")
    app.learning.begin_sense_making(x, by=lead)
    app.learning.conclude_experiment(
        x, "adopt", against_prediction="a", learned="l", reason="r", by=lead
    )
    with pytest.raises(InvalidTransition, match="corrected while"):
        app.learning.correct_observation(x, observation_id, "Five", by=lead, role="practitioner")


# -- events written before these questions were asked still load ---------------------------


def _stored_as_before(
    app: CairnApp,
    monkeypatch: pytest.MonkeyPatch,
    domain_event: Any,
    dropped: tuple[str, ...],
    personal_then: tuple[str, ...],
) -> Any:
    """The event written as the code before this change wrote it (version 1, without the
    new fields, with fewer fields encrypted), then read back by today's code."""
    with monkeypatch.context() as patch:
        patch.setattr(type(domain_event), "class_version", 1)
        patch.setattr(type(domain_event), "personal_fields", personal_then)
        for name in dropped:
            del domain_event.__dict__[name]
        stored = app.mapper.to_stored_event(domain_event)
    return app.mapper.to_domain_event(stored)


def test_observations_and_conclusions_from_before_load_with_defaults(
    app: CairnApp, team: UUID, lead: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    x = making_sense(app, team, lead)
    app.learning.resume_experiment(x, reason="r", by=lead)
    app.learning.add_observation(x, "Two came back", by=lead, role="practitioner")
    observed = _stored_as_before(
        app, monkeypatch, events_of(app, x)[-1], ("role", "value", "unit"), ("text",)
    )
    assert (observed.text, observed.role, observed.value, observed.unit) == (
        "Two came back",
        "",
        None,
        "",  # not "[erased]": an old event never had it encrypted
    )
    app.learning.begin_sense_making(x, by=lead)
    app.learning.conclude_experiment(
        x, "adopt", against_prediction="a", learned="Learned", reason="Why", by=lead
    )
    concluded = _stored_as_before(
        app,
        monkeypatch,
        events_of(app, x)[-1],
        ("against_prediction", "surprises"),
        ("learned", "reason"),
    )
    assert (concluded.learned, concluded.against_prediction, concluded.surprises) == (
        "Learned",
        "",
        "",
    )
