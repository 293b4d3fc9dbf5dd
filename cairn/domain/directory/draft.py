"""An application in progress: saved step by step, so nothing is lost if the applicant leaves.

A draft is never a provider: it is not in the review queue and never public. Submitting it
creates the Provider (the "Applied" event) and closes the draft, in one atomic save.
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import InvalidTransition
from cairn.domain.personal import personal
from cairn.domain.validation import _


class ApplicationDraft(Aggregate):
    """One per applicant account; its answers are JSON-friendly values keyed by field name."""

    Started: ClassVar[type[Aggregate.Event]]
    AnswersSaved: ClassVar[type[Aggregate.Event]]
    Submitted: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(account_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"cairn:application-draft:{account_id}")

    @event("Started")
    def __init__(self, account_id: UUID, answers: dict[str, Any]) -> None:
        self.account_id = account_id
        self.answers: dict[str, Any] = dict(answers)
        self.steps_done: tuple[str, ...] = ("business",)
        self.provider_id: UUID | None = None

    @property
    def submitted(self) -> bool:
        return self.provider_id is not None

    def save_answers(self, step: str, answers: dict[str, Any]) -> None:
        if self.submitted:
            raise InvalidTransition(_("This application has already been sent."))
        self._answers_saved(step=step, answers=answers)

    @event("AnswersSaved")
    def _answers_saved(self, step: str, answers: dict[str, Any]) -> None:
        self.answers = {**self.answers, **answers}
        if step not in self.steps_done:
            self.steps_done = (*self.steps_done, step)

    def submit(self, provider_id: UUID) -> None:
        if self.submitted:
            raise InvalidTransition(_("This application has already been sent."))
        self._submitted(provider_id=provider_id)

    @event("Submitted")
    def _submitted(self, provider_id: UUID) -> None:
        self.provider_id = provider_id


# The answers hold the applicant's email, name and phone: those are encrypted with
# the draft's own key (`subject_for_id(draft id)`), which erasing the applicant shreds.
DRAFT_PERSONAL = tuple(f"answers.{field}" for field in ("email", "contact_name", "phone"))
personal(ApplicationDraft.Started, fields=DRAFT_PERSONAL, subject="")
personal(ApplicationDraft.AnswersSaved, fields=DRAFT_PERSONAL, subject="")
