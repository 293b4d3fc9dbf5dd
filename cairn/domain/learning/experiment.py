"""The Experiment aggregate: one cycle of test-and-learn, from proposal to conclusion."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import DomainError, InvalidTransition
from cairn.domain.learning.content import ExperimentContent, checked_language
from cairn.domain.learning.vocabulary import (
    ADAPT,
    CONCLUDED,
    MAKING_SENSE,
    OUTCOMES,
    PROPOSED,
    RUNNING,
    STAGES,
)
from cairn.domain.validation import DEFAULT_TEXT_LANGUAGE, Invalid, _, clean_text


def _required(text: str, label: str) -> str:
    if not text.strip():
        raise DomainError(_("Enter {label}.").format(label=label))
    try:
        return clean_text(text, max_length=5000, multiline=True)
    except Invalid as error:
        raise DomainError(error.message) from None


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
    class ObservationAdded(Aggregate.Event):
        observation_id: UUID
        on: date
        text: str
        by: UUID
        language: str = DEFAULT_TEXT_LANGUAGE

    class SenseMakingBegun(Aggregate.Event):
        on: date
        by: UUID

    class Concluded(Aggregate.Event):
        outcome: str
        learned: str
        reason: str
        on: date
        by: UUID
        next_id: UUID | None
        language: str = DEFAULT_TEXT_LANGUAGE  # of `learned` and `reason`

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
        self.observations: list[tuple[date, str]] = []

    # -- editing --------------------------------------------------------------------

    def revise(self, content: ExperimentContent, *, by: UUID) -> None:
        if self.stage == CONCLUDED:
            raise InvalidTransition(
                _("This experiment is concluded: record what changed in a reflection instead.")
            )
        if content == self.content:
            raise DomainError(_("Nothing changed, so there is nothing to save."))
        self._revised(by=by, content=content.to_event())

    @event(Revised)
    def _revised(self, by: UUID, content: dict[str, Any]) -> None:
        self.content = ExperimentContent.from_event(content)

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
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> UUID:
        """Add a dated observation while the experiment runs; returns its id."""
        self._require(RUNNING, _("add an observation to"))
        assert self.started_on is not None
        if on > today:
            raise DomainError(_("The date of an observation cannot be in the future."))
        if on < self.started_on:
            raise DomainError(_("An observation cannot be dated before the experiment started."))
        observation_id = uuid4()
        self._observation_added(
            observation_id=observation_id,
            on=on,
            text=_required(text, _("what you noticed")),
            by=by,
            language=checked_language(language),
        )
        return observation_id

    @event(ObservationAdded)
    def _observation_added(
        self,
        observation_id: UUID,
        on: date,
        text: str,
        by: UUID,
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> None:
        self.observations.append((on, text))

    def begin_sense_making(self, *, on: date, today: date, by: UUID) -> None:
        self._require(RUNNING, _("make sense of"))
        assert self.started_on is not None
        if on > today or on < self.started_on:
            raise DomainError(_("Choose a date between the start and today."))
        self._sense_making_begun(on=on, by=by)

    @event(SenseMakingBegun)
    def _sense_making_begun(self, on: date, by: UUID) -> None:
        self.stage = MAKING_SENSE

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
        language: str = DEFAULT_TEXT_LANGUAGE,
    ) -> None:
        self._require(MAKING_SENSE, _("conclude"))
        if outcome not in OUTCOMES:
            raise DomainError(_("Choose adopt, adapt or abandon."))
        learned = _required(learned, _("what you learned"))
        reason = _required(reason, _("the reason for this decision"))
        assert self.started_on is not None
        if on > today or on < self.started_on:
            raise DomainError(_("Choose a date between the start and today."))
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
    ) -> None:
        self.stage = CONCLUDED
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
