"""The voices heard in a reflection, with their consent and every version of their words.
Callers check that the reader may read the reflection first (its visibility is within what
every voice's consent covers: the domain keeps it so)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Engine, select

from cairn.domain.learning.visibility import Reader
from cairn.readmodels.learning.queries.teams import Person, people_in_team
from cairn.readmodels.learning.reflections import (
    learning_reflection_voice_words,
    learning_reflection_voices,
)

H = learning_reflection_voices
W = learning_reflection_voice_words


@dataclass(frozen=True)
class WordsVersion:
    number: int
    words: str  # empty once consent is withdrawn
    by: Person
    at: datetime


@dataclass(frozen=True)
class Voice:
    id: UUID
    role: str
    words: str
    consent_how: str
    consent_on: date
    consent_covers: str
    withdrawn_on: date | None
    versions: list[WordsVersion]  # oldest first

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_on is not None


def voices_heard(engine: Engine, reader: Reader, reflection_id: UUID, team_id: UUID) -> list[Voice]:
    """The reflection's voices in the order they were heard."""
    with engine.connect() as conn:
        heard = list(
            conn.execute(select(H).where(H.c.reflection_id == reflection_id).order_by(H.c.heard_at))
        )
        ids = [row.voice_id for row in heard]
        words = (
            list(conn.execute(select(W).where(W.c.voice_id.in_(ids)).order_by(W.c.number)))
            if ids
            else []
        )
        people = people_in_team(conn, reader, team_id, {row.by for row in words})
    versions: dict[UUID, list[WordsVersion]] = defaultdict(list)
    for row in words:
        versions[row.voice_id].append(WordsVersion(row.number, row.words, people[row.by], row.at))
    return [
        Voice(
            id=row.voice_id,
            role=row.role,
            words=row.words,
            consent_how=row.consent_how,
            consent_on=row.consent_on,
            consent_covers=row.consent_covers,
            withdrawn_on=row.withdrawn_on,
            versions=versions[row.voice_id],
        )
        for row in heard
    ]
