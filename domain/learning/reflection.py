"""The Reflection aggregate: what a team learned, with every earlier version kept."""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError
from domain.learning.content import ReflectionContent
from domain.validation import _


class Reflection(Aggregate):
    """Each event carries the whole version written, so history reads back exactly."""

    Recorded: ClassVar[type[Aggregate.Event]]
    Revised: ClassVar[type[Aggregate.Event]]

    @event("Recorded")
    def __init__(self, team_id: UUID, by: UUID, content: dict[str, Any]) -> None:
        self.team_id = team_id
        self.author_id = by
        self.content = ReflectionContent.from_event(content)
        self.history: list[ReflectionContent] = [self.content]

    def revise(self, content: ReflectionContent, *, by: UUID) -> None:
        if content == self.content:
            raise DomainError(_("Nothing changed, so there is no new version to save."))
        self._revised(by=by, content=content.to_event())

    @event("Revised")
    def _revised(self, by: UUID, content: dict[str, Any]) -> None:
        self.content = ReflectionContent.from_event(content)
        self.history.append(self.content)
