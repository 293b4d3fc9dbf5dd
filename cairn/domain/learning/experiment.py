"""The Experiment aggregate: one cycle of test-and-learn, from proposal to conclusion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import DomainError, InvalidTransition
from cairn.domain.learning.content import (
    ExperimentContent,
    checked_language,
    checked_roles,
    checked_voices,
)
from cairn.domain.learning.vocabulary import (
    ADAPT,
    CONCLUDED,
    MAKING_SENSE,
    OUTCOMES,
    PROPOSED,
    RUNNING,
    STAGES,
    VOICES,
)
from cairn.domain.validation import DEFAULT_TEXT_LANGUAGE, Invalid, _, clean_text


def _required(text: str, label: str, max_length: int = 5000) -> str:
    if not text.strip():
        raise DomainError(_("Enter {label}.").format(label=label))
    try:
        return clean_text(text, max_length=max_length, multiline=max_length > 200)
    except Invalid as error:
        raise DomainError(error.message) from None


def _optional(text: str, label: str, max_length: int = 5000) -> str:
    return _required(text, label, max_length) if text.strip() else ""


# What a running experiment is judged against: once it starts these change only by an
# amendment with a reason (PredictionAmended), so the comparison at the end means something.
PLAN_FIELDS = ("kind", "what_we_try", "prediction", "signals")
# How the team reads it, not what it was: still edited once it runs, and once it is concluded.
LENS_FIELDS = ("themes", "principles", "voices", "consent_recorded")


@dataclass(frozen=True)
class Observation:
    """One observation as it stands now; `version` counts its corrections (1: as first written)."""

    on: date
    text: str
    role: str
    value: Decimal | None
    unit: str
    version: int = 1


def _measure(value: Decimal | None, unit: str) -> tuple[str | None, str]:
    """The number and its unit as the event keeps them (a string keeps the decimal exact)."""
    unit = _optional(unit, _("what the number counts"), 40)
    if value is None:
        if unit:
            raise DomainError(_("Enter the number, or leave what it counts empty."))
        return None, ""
    if not unit:
        raise DomainError(_("Say what the number counts, like people or visits."))
    return str(value), unit


def _role(role: str) -> str:
    if role not in VOICES:
        raise DomainError(_("Choose your role: roles only, never a name."))
    return role


class Experiment(Aggregate):
    """Proposed -> running -> making sense -> concluded (adopt, adapt or abandon).

    Adapting starts the next cycle as a new experiment linked to this one; the chain of
    cycles shares a `chain_id` (the first cycle's id) so it reads as one story."""

    # The events the read models and the search index read, typed so a renamed field fails
    # the type check. `content` is ExperimentContent.to_event(); the first cycle has no
    # previous_id and (in events written before chains) no chain_id.
    class Proposed(Aggregate.Created):
        team_id: UUID
        by: UUID
        content: dict[str, Any]
        proposed_on: date
        cycle: int = 1
        previous_id: UUID | None = None
        chain_id: UUID | None = None

    class Revised(Aggregate.Event):
        by: UUID
        content: dict[str, Any]

    class Started(Aggregate.Event):
        on: date
        by: UUID

    # `language`: what the text is written in (events from before it was recorded: English).
    # `role` is the author's (a key of VOICES; "" before it was asked); `value` an optional
    # number (a decimal string) and `unit` what it counts (events from before: none).
    class ObservationAdded(Aggregate.Event):
        # 2: role, value and unit. `unit` is personal: an old event must hold it in clear
        # before decryption, or it would read as erased (a key the envelope never had).
        class_version = 2

        observation_id: UUID
        on: date
        text: str
        by: UUID
        language: str = DEFAULT_TEXT_LANGUAGE
        role: str = ""
        value: str | None = None
        unit: str = ""

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("unit", "")

    # A correction is a new version of the whole observation; earlier versions stay in the log.
    class ObservationCorrected(Aggregate.Event):
        observation_id: UUID
        on: date
        text: str
        by: UUID
        role: str
        value: str | None
        unit: str
        language: str = DEFAULT_TEXT_LANGUAGE

    # The plan after the amendment (PLAN_FIELDS but the kind); what it was is the state before.
    class PredictionAmended(Aggregate.Event):
        what_we_try: str
        prediction: str
        signals: str
        reason: str
        on: date
        by: UUID
        language: str = DEFAULT_TEXT_LANGUAGE

    class SenseMakingBegun(Aggregate.Event):
        on: date
        by: UUID

    # Who took part and whose voices were heard are roles (keys of VOICES), never names.
    class SenseMakingHeld(Aggregate.Event):
        session_id: UUID
        on: date
        roles: tuple[str, ...]
        notes: str
        voices: tuple[str, ...]
        consent_recorded: bool
        by: UUID
        language: str = DEFAULT_TEXT_LANGUAGE

    class Resumed(Aggregate.Event):
        on: date
        reason: str
        by: UUID
        language: str = DEFAULT_TEXT_LANGUAGE

    # `against_prediction` and `surprises`: the study questions (events from before: "").
    class Concluded(Aggregate.Event):
        class_version = 2  # 2: the study questions (personal, so set in clear, as above)

        outcome: str
        learned: str
        reason: str
        on: date
        by: UUID
        next_id: UUID | None
        language: str = DEFAULT_TEXT_LANGUAGE  # of every text it holds
        against_prediction: str = ""
        surprises: str = ""

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("against_prediction", "")
            state.setdefault("surprises", "")

    # The experiments, of any team, this one builds on: the whole set each time it changes.
    # (Cycles of one chain are linked by previous_id; this links learning across chains.)
    class BuildsOnSet(Aggregate.Event):
        experiment_ids: list[UUID]
        by: UUID

    # Until a BuildsOnSet: a class default, so replaying older events needs nothing new.
    builds_on: tuple[UUID, ...] = ()

    @event(Proposed)
    def __init__(
        self,
        team_id: UUID,
        by: UUID,
        content: dict[str, Any],
        proposed_on: date,
        cycle: int = 1,
        previous_id: UUID | None = None,
        chain_id: UUID | None = None,
    ) -> None:
        self.team_id = team_id
        self.proposed_by = by
        self.content = ExperimentContent.from_event(content)
        self.proposed_on = proposed_on
        self.cycle = cycle
        self.previous_id = previous_id
        self.chain_id = chain_id or self.id
        self.stage = PROPOSED
        self.started_on: date | None = None
        self.concluded_on: date | None = None
        self.outcome: str | None = None
        self.learned = ""
        self.reason = ""
        self.next_id: UUID | None = None
        self.against_prediction = ""
        self.surprises = ""
        self.sense_making_on: date | None = None
        self.observations: dict[UUID, Observation] = {}
        self.amendments = 0
        self.sessions: list[UUID] = []

    # -- editing --------------------------------------------------------------------

    def revise(self, content: ExperimentContent, *, by: UUID) -> None:
        # A concluded experiment keeps what it was; how the team reads it can still change.
        if self.stage == CONCLUDED and replace(content, **self._lens()) != self.content:
            raise InvalidTransition(
                _(
                    "This experiment is concluded: only its themes, principles and voices "
                    "change now. Record what changed in a reflection instead."
                )
            )
        if content == self.content:
            raise DomainError(_("Nothing changed, so there is nothing to save."))
        if self.stage != PROPOSED and any(
            getattr(content, name) != getattr(self.content, name) for name in PLAN_FIELDS
        ):
            raise InvalidTransition(
                _(
                    "Once an experiment is running, what you try, the prediction and how you "
                    "will notice are locked: amend them, with the reason."
                )
            )
        self._revised(by=by, content=content.to_event())

    def _lens(self) -> dict[str, Any]:
        return {name: getattr(self.content, name) for name in LENS_FIELDS}

    def amend_prediction(
        self,
        *,
        what_we_try: str,
        prediction: str,
        signals: str,
        reason: str,
        on: date,
        today: date,
        by: UUID,
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> None:
        """Change the locked plan of a running experiment, saying why; the plan it replaces
        stays in the log (and the story) beside it."""
        if self.stage not in (RUNNING, MAKING_SENSE):
            raise InvalidTransition(
                _("Only a running experiment's prediction is amended: before, edit the plan.")
            )
        reason = _required(reason, _("the reason for the amendment"))
        self._within_run(on, today)
        amended = replace(
            self.content, what_we_try=what_we_try, prediction=prediction, signals=signals
        ).checked()
        if all(getattr(amended, name) == getattr(self.content, name) for name in PLAN_FIELDS):
            raise DomainError(_("Nothing changed, so there is nothing to amend."))
        self._prediction_amended(
            what_we_try=amended.what_we_try,
            prediction=amended.prediction,
            signals=amended.signals,
            reason=reason,
            on=on,
            by=by,
            language=checked_language(language),
        )

    @event(PredictionAmended)
    def _prediction_amended(
        self,
        what_we_try: str,
        prediction: str,
        signals: str,
        reason: str,
        on: date,
        by: UUID,
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> None:
        self.content = replace(
            self.content, what_we_try=what_we_try, prediction=prediction, signals=signals
        )
        self.amendments += 1

    @event(Revised)
    def _revised(self, by: UUID, content: dict[str, Any]) -> None:
        self.content = ExperimentContent.from_event(content)

    # -- what it builds on ------------------------------------------------------------

    def build_on(self, experiment_ids: Iterable[UUID], *, by: UUID) -> None:
        """Name the experiments this one builds on (the commands check each exists)."""
        chosen = list(dict.fromkeys(experiment_ids))
        if self.id in chosen:
            raise DomainError(_("An experiment cannot build on itself: choose other experiments."))
        if set(chosen) == set(self.builds_on):
            raise DomainError(_("Nothing changed: it already builds on exactly these."))
        self._builds_on_set(experiment_ids=chosen, by=by)

    @event(BuildsOnSet)
    def _builds_on_set(self, experiment_ids: list[UUID], by: UUID) -> None:
        self.builds_on = tuple(experiment_ids)

    # -- lifecycle ------------------------------------------------------------------

    def start(self, *, on: date, today: date, by: UUID) -> None:
        self._require(PROPOSED, _("start"))
        if on > today:
            raise DomainError(_("The start date cannot be in the future."))
        # It may have started before it was written down: people record after the fact.
        self._started(on=on, by=by)

    @event(Started)
    def _started(self, on: date, by: UUID) -> None:
        self.stage = RUNNING
        self.started_on = on

    def observe(
        self,
        text: str,
        *,
        on: date,
        today: date,
        by: UUID,
        role: str,
        value: Decimal | None = None,
        unit: str = "",
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> UUID:
        """Add a dated observation while the experiment runs; returns its id."""
        self._require(RUNNING, _("add an observation to"))
        self._observation_dated(on, today)
        number, unit = _measure(value, unit)
        observation_id = uuid4()
        self._observation_added(
            observation_id=observation_id,
            on=on,
            text=_required(text, _("what you noticed")),
            by=by,
            language=checked_language(language),
            role=_role(role),
            value=number,
            unit=unit,
        )
        return observation_id

    def _observation_dated(self, on: date, today: date) -> None:
        assert self.started_on is not None
        if on > today:
            raise DomainError(_("The date of an observation cannot be in the future."))
        if on < self.started_on:
            raise DomainError(_("An observation cannot be dated before the experiment started."))

    @event(ObservationAdded)
    def _observation_added(
        self,
        observation_id: UUID,
        on: date,
        text: str,
        by: UUID,
        language: str = DEFAULT_TEXT_LANGUAGE,
        role: str = "",
        value: str | None = None,
        unit: str = "",
    ) -> None:
        self.observations[observation_id] = Observation(
            on, text, role, Decimal(value) if value is not None else None, unit
        )

    def correct_observation(
        self,
        observation_id: UUID,
        text: str,
        *,
        on: date | None,
        today: date,
        by: UUID,
        role: str,
        value: Decimal | None = None,
        unit: str = "",
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> None:
        """A new version of an observation (until the experiment is concluded); without a
        date it keeps the date it had."""
        if self.stage not in (RUNNING, MAKING_SENSE):
            raise InvalidTransition(
                _("Observations are corrected while the experiment runs or is being made sense of.")
            )
        if observation_id not in self.observations:
            raise DomainError(_("There is no such observation in this experiment."))
        on = on or self.observations[observation_id].on
        self._observation_dated(on, today)
        number, unit = _measure(value, unit)
        text = _required(text, _("what you noticed"))
        role = _role(role)
        was = self.observations[observation_id]
        now = Observation(
            on, text, role, Decimal(number) if number is not None else None, unit, was.version
        )
        if now == was:
            raise DomainError(_("Nothing changed, so there is nothing to correct."))
        self._observation_corrected(
            observation_id=observation_id,
            on=on,
            text=text,
            by=by,
            role=role,
            value=number,
            unit=unit,
            language=checked_language(language),
        )

    @event(ObservationCorrected)
    def _observation_corrected(
        self,
        observation_id: UUID,
        on: date,
        text: str,
        by: UUID,
        role: str,
        value: str | None,
        unit: str,
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> None:
        was = self.observations[observation_id]
        self.observations[observation_id] = Observation(
            on,
            text,
            role,
            Decimal(value) if value is not None else None,
            unit,
            was.version + 1,
        )

    def begin_sense_making(self, *, on: date, today: date, by: UUID) -> None:
        self._require(RUNNING, _("make sense of"))
        self._within_run(on, today)
        self._sense_making_begun(on=on, by=by)

    @event(SenseMakingBegun)
    def _sense_making_begun(self, on: date, by: UUID) -> None:
        self.stage = MAKING_SENSE
        self.sense_making_on = on

    def hold_sense_making(
        self,
        *,
        on: date,
        today: date,
        roles: tuple[str, ...],
        notes: str,
        voices: tuple[str, ...] = (),
        consent_recorded: bool = False,
        by: UUID,
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> UUID:
        """Record a session where people made sense of it together; returns its id."""
        self._require(MAKING_SENSE, _("record a sense-making session for"))
        if on > today:
            raise DomainError(_("The date of the session cannot be in the future."))
        assert self.started_on is not None
        if on < self.started_on:
            raise DomainError(_("The session cannot be dated before the experiment started."))
        roles = checked_roles(roles, required=_("Choose the roles of who took part."))
        voices, consent_recorded = checked_voices(voices, consent_recorded)
        session_id = uuid4()
        self._sense_making_held(
            session_id=session_id,
            on=on,
            roles=roles,
            notes=_required(notes, _("notes of the session")),
            voices=voices,
            consent_recorded=consent_recorded,
            by=by,
            language=checked_language(language),
        )
        return session_id

    @event(SenseMakingHeld)
    def _sense_making_held(
        self,
        session_id: UUID,
        on: date,
        roles: tuple[str, ...],
        notes: str,
        voices: tuple[str, ...],
        consent_recorded: bool,
        by: UUID,
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> None:
        self.sessions.append(session_id)

    def resume(
        self, *, reason: str, on: date, today: date, by: UUID, language: str = DEFAULT_TEXT_LANGUAGE
    ) -> None:
        """Back from making sense to running: there is more to try or to notice."""
        self._require(MAKING_SENSE, _("go back to running"))
        reason = _required(reason, _("why it goes back to running"))
        assert self.sense_making_on is not None
        if on > today or on < self.sense_making_on:
            raise DomainError(_("Choose a date between when you began making sense and today."))
        self._resumed(on=on, reason=reason, by=by, language=checked_language(language))

    @event(Resumed)
    def _resumed(
        self, on: date, reason: str, by: UUID, language: str = DEFAULT_TEXT_LANGUAGE
    ) -> None:
        self.stage = RUNNING
        self.sense_making_on = None

    def _within_run(self, on: date, today: date) -> None:
        assert self.started_on is not None
        if on > today or on < self.started_on:
            raise DomainError(_("Choose a date between the start and today."))

    def conclude(
        self,
        outcome: str,
        *,
        learned: str,
        reason: str,
        on: date,
        today: date,
        by: UUID,
        next_id: UUID | None = None,
        against_prediction: str = "",
        surprises: str = "",
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> None:
        self._require(MAKING_SENSE, _("conclude"))
        if outcome not in OUTCOMES:
            raise DomainError(_("Choose adopt, adapt or abandon."))
        # A prediction is made to be compared with what happened: that is the study step.
        if self.content.prediction:
            against_prediction = _required(
                against_prediction, _("what happened against the prediction")
            )
        else:
            against_prediction = _optional(against_prediction, _("what happened"))
        surprises = _optional(surprises, _("what surprised you"))
        learned = _required(learned, _("what you learned"))
        reason = _required(reason, _("the reason for this decision"))
        self._within_run(on, today)
        if (outcome == ADAPT) != (next_id is not None):
            raise DomainError(_("Adapting starts the next cycle; adopt and abandon end here."))
        self._concluded(
            outcome=outcome,
            learned=learned,
            reason=reason,
            on=on,
            by=by,
            next_id=next_id,
            language=checked_language(language),
            against_prediction=against_prediction,
            surprises=surprises,
        )

    @event(Concluded)
    def _concluded(
        self,
        outcome: str,
        learned: str,
        reason: str,
        on: date,
        by: UUID,
        next_id: UUID | None,
        language: str = DEFAULT_TEXT_LANGUAGE,
        against_prediction: str = "",
        surprises: str = "",
    ) -> None:
        self.stage = CONCLUDED
        self.against_prediction = against_prediction
        self.surprises = surprises
        self.outcome = outcome
        self.learned = learned
        self.reason = reason
        self.concluded_on = on
        self.next_id = next_id

    def _require(self, stage: str, action: str) -> None:
        if self.stage != stage:
            raise InvalidTransition(
                _("You cannot {action} this experiment: it is {stage}, not {needed}.").format(
                    action=action,
                    stage=STAGES[self.stage].lower(),
                    needed=STAGES[stage].lower(),
                )
            )
