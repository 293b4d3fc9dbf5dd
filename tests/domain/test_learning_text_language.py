"""The language a learning text is written in is part of what is recorded: checked when
written, kept in every version, and English for everything written before it was asked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import UUID

import pytest

from cairn.domain.errors import DomainError
from cairn.domain.learning.content import ExperimentContent, ReflectionContent
from cairn.domain.learning.experiment import Experiment
from tests.support.learning import days_ago, experiment, reflection

TODAY = date.today()


def test_a_reflection_keeps_the_language_it_was_written_in() -> None:
    written = reflection(language="gd").checked(TODAY)
    rest, words = written.to_event_parts()
    assert rest["language"] == "gd"  # beside the words, not among them: a redaction keeps it
    assert "language" not in words
    assert ReflectionContent.from_event_parts(rest, words).language == "gd"


def test_an_unsaid_language_is_english_and_an_unknown_one_is_refused() -> None:
    assert reflection(language="").checked(TODAY).language == "en"
    with pytest.raises(DomainError, match="not a language code"):
        reflection(language="xx").checked(TODAY)
    with pytest.raises(DomainError, match="not a language code"):
        experiment(language="klingon").checked()


def test_content_written_before_the_question_reads_as_english() -> None:
    old_reflection = reflection().checked(TODAY).to_event()
    del old_reflection["language"]
    assert ReflectionContent.from_event(old_reflection).language == "en"
    old_experiment = experiment().checked().to_event()
    del old_experiment["language"]
    assert ExperimentContent.from_event(old_experiment).language == "en"


TEAM = UUID(int=7)


def _running() -> Experiment:
    x = Experiment(
        team_id=TEAM,
        by=TEAM,
        content=replace(experiment(), language="en").checked().to_event(),
        proposed_on=days_ago(10),
    )
    x.start(on=days_ago(9), today=TODAY, by=x.team_id)
    return x


def test_observations_and_conclusions_record_their_own_language() -> None:
    x = _running()
    x.observe(
        "Thàinig naoinear air ais.",
        on=days_ago(2),
        today=TODAY,
        by=x.team_id,
        role="peer-worker",
        language="gd",
    )
    x.begin_sense_making(on=days_ago(1), today=TODAY, by=x.team_id)
    x.conclude(
        "adopt",
        against_prediction="Mar a bha dùil againn.",
        learned="Tha e ag obair.",
        reason="Thàinig iad air ais.",
        on=TODAY,
        today=TODAY,
        by=x.team_id,
        language="gd",
    )
    events = x.collect_events()
    observed = next(e for e in events if isinstance(e, Experiment.ObservationAdded))
    concluded = next(e for e in events if isinstance(e, Experiment.Concluded))
    assert (observed.language, concluded.language) == ("gd", "gd")
    assert x.content.language == "en"  # the plan keeps its own


def test_an_observation_in_an_unknown_language_is_refused_and_not_recorded() -> None:
    x = _running()
    with pytest.raises(DomainError, match="not a language code"):
        x.observe(
            "Nine came back.",
            on=days_ago(2),
            today=TODAY,
            by=x.team_id,
            role="practitioner",
            language="zz",
        )
    assert x.observations == {}
