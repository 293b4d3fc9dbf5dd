"""Experiments carry themes, principles and voices, as reflections do (issue #20, part 4):
checked by the same rules, edited while the experiment runs (the plan stays locked), carried
into the next cycle, and read as empty in events written before them."""

from __future__ import annotations

from uuid import UUID

import pytest

from cairn.domain.accounts.roles import Role
from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError, InvalidTransition, StaleState
from cairn.domain.learning.content import ExperimentContent, voices_to_share
from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.vocabulary import ADAPT
from tests.support.learning import experiment


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


LENS = {
    "themes": ("Rural access, loneliness", "rural access"),
    "principles": ("human-rights", "person-led-care"),
    "voices": ("practitioner", "unpaid-carer"),
    "consent_recorded": True,
}


def test_proposing_keeps_the_lens_tidied_by_the_reflections_rules(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    done = app.learning.propose_experiment(team, experiment(**LENS), by=lead)
    content = app.load(Experiment, done.id).content
    assert content.themes == ("rural-access", "loneliness")
    assert content.principles == ("person-led-care", "human-rights")  # the vocabulary's order
    assert content.voices == ("unpaid-carer", "practitioner")
    assert content.consent_recorded is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"voices": ("family-member",)}, "Confirm that consent"),
        ({"principles": ("kindness",)}, "not one of the principles"),
        ({"voices": ("the-mayor",)}, "not one of the voices"),
        ({"themes": tuple(f"theme-{n}" for n in range(13))}, "at most 12 themes"),
        ({"themes": ("x" * 41,)}, "under 40 letters"),
    ],
    ids=["lived-voice-without-consent", "unknown-principle", "unknown-voice", "13-themes", "long"],
)
def test_a_lens_that_breaks_a_rule_is_refused(
    app: CairnApp, team: UUID, lead: UUID, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        app.learning.propose_experiment(team, experiment(**changes), by=lead)


def test_consent_is_kept_only_with_a_lived_experience_voice(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    done = app.learning.propose_experiment(
        team, experiment(voices=("practitioner",), consent_recorded=True), by=lead
    )
    assert app.load(Experiment, done.id).content.consent_recorded is False


def test_a_running_experiment_changes_its_lens_but_not_its_plan(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    proposed = app.learning.propose_experiment(team, experiment(), by=lead).id
    app.learning.start_experiment(proposed, by=lead)
    app.learning.revise_experiment(proposed, experiment(**LENS), by=lead, expected_version=2)
    running = app.load(Experiment, proposed)
    assert running.content.themes == ("rural-access", "loneliness")
    assert running.version == 3  # a version of its own, as every edit is
    with pytest.raises(StaleState):  # an edit of the version before is a clash, as ever
        app.learning.revise_experiment(
            proposed, experiment(themes=("carers",)), by=lead, expected_version=2
        )
    with pytest.raises(InvalidTransition, match="locked"):
        app.learning.revise_experiment(
            proposed, experiment(**LENS, prediction="Everyone comes back."), by=lead
        )
    with pytest.raises(DomainError, match="Nothing changed"):
        app.learning.revise_experiment(proposed, experiment(**LENS), by=lead)


def test_the_next_cycle_starts_with_the_lens_of_the_one_before(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    first = app.learning.propose_experiment(team, experiment(**LENS), by=lead).id
    app.learning.start_experiment(first, by=lead)
    app.learning.begin_sense_making(first, by=lead)
    second = app.learning.conclude_experiment(
        first,
        ADAPT,
        against_prediction="Fewer came.",
        learned="Lifts help.",
        reason="Try evenings.",
        next_try="Evening lifts.",
        by=lead,
    ).id
    content = app.load(Experiment, second).content
    assert content.themes == ("rural-access", "loneliness")
    assert content.voices == ("unpaid-carer", "practitioner") and content.consent_recorded


def test_a_proposal_from_before_the_lens_reads_as_without_one() -> None:
    old = experiment().checked().to_event()
    for key in ("themes", "principles", "voices", "consent_recorded"):
        del old[key]
    content = ExperimentContent.from_event(old)
    assert (content.themes, content.principles, content.voices) == ((), (), ())
    assert content.consent_recorded is False


def test_a_copy_names_a_lived_experience_voice_only_with_consent() -> None:
    voices = ("unpaid-carer", "practitioner")
    assert voices_to_share(voices, consent_recorded=True) == voices
    assert voices_to_share(voices, consent_recorded=False) == ("practitioner",)


def test_a_concluded_experiment_changes_its_lens_and_nothing_else(
    app: CairnApp, team: UUID, lead: UUID
) -> None:
    done = app.learning.propose_experiment(team, experiment(), by=lead).id
    app.learning.start_experiment(done, by=lead)
    app.learning.begin_sense_making(done, by=lead)
    app.learning.conclude_experiment(
        done, "adopt", against_prediction="As said.", learned="x", reason="y", by=lead
    )
    app.learning.revise_experiment(done, experiment(**LENS), by=lead)
    assert app.load(Experiment, done).content.themes == ("rural-access", "loneliness")
    with pytest.raises(InvalidTransition, match="concluded"):
        app.learning.revise_experiment(done, experiment(**LENS, title="Renamed"), by=lead)
