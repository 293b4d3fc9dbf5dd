"""Reflections as the timeline, a reflection's page and its versions read them (both kinds
together, and the tallies: queries/lens.py).
Every query takes a `Reader` and filters with `readable_by`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Engine, Row, and_, exists, select

from cairn.domain.learning.content import ReflectionContent
from cairn.domain.learning.visibility import Reader
from cairn.domain.learning.vocabulary import BEYOND_TEAMS
from cairn.readmodels.directory.providers import providers
from cairn.readmodels.learning.experiments import learning_experiments
from cairn.readmodels.learning.queries.teams import Person, people_in_team
from cairn.readmodels.learning.reflections import (
    learning_reflection_redactions,
    learning_reflection_tags,
    learning_reflection_versions,
    learning_reflections,
)
from cairn.readmodels.learning.teams import learning_teams
from cairn.readmodels.learning.visibility import readable_by

R = learning_reflections
X = learning_experiments
V = learning_reflection_versions
D = learning_reflection_redactions


@dataclass(frozen=True)
class TimelineFilter:
    kind: str = ""  # reflection | experiment (queries/lens.py); "" for both
    theme: str = ""
    principle: str = ""
    voice: str = ""
    experiment: UUID | None = None  # any cycle of this experiment's chain
    since: date | None = None
    until: date | None = None
    beyond_teams: bool = False  # only what is shared beyond the teams (BEYOND_TEAMS)

    @property
    def active(self) -> bool:
        return any(
            (
                self.kind,
                self.theme,
                self.principle,
                self.voice,
                self.experiment,
                self.since,
                self.until,
            )
        )


def _linked_experiment(reader: Reader) -> ColumnElement[bool]:
    """The join to a reflection's experiment, only when the reader may read the experiment:
    otherwise its title stays NULL, as if there were no link."""
    return and_(X.c.id == R.c.experiment_id, readable_by(reader, X))


def _tagged(kind: str, value: str) -> Any:
    return exists().where(
        and_(
            learning_reflection_tags.c.reflection_id == R.c.id,
            learning_reflection_tags.c.kind == kind,
            learning_reflection_tags.c.value == value,
        )
    )


def timeline(
    engine: Engine,
    reader: Reader,
    team_id: UUID | None,
    wanted: TimelineFilter | None = None,
    limit: int | None = None,
) -> list[Row[Any]]:
    """Reflections the reader may read, newest first; one team's, or every team's."""
    wanted = wanted or TimelineFilter()
    query = (
        select(
            R,
            learning_teams.c.name.label("team_name"),
            X.c.title.label("experiment_title"),
            X.c.language.label("experiment_language"),
            providers.c.name.label("provider_name"),
        )
        .join(learning_teams, learning_teams.c.id == R.c.team_id)
        .outerjoin(X, _linked_experiment(reader))
        .outerjoin(providers, providers.c.id == R.c.provider_id)
        .where(readable_by(reader, R))
    )
    if team_id is not None:
        query = query.where(R.c.team_id == team_id)
    if wanted.theme:
        query = query.where(_tagged("theme", wanted.theme))
    if wanted.principle:
        query = query.where(_tagged("principle", wanted.principle))
    if wanted.voice:
        query = query.where(_tagged("voice", wanted.voice))
    if wanted.experiment:
        # Only a chain the reader may read: filtering by another team's experiment must not
        # tell them which reflections are linked to it.
        chain = (
            select(X.c.chain_id)
            .where(X.c.id == wanted.experiment, readable_by(reader, X))
            .scalar_subquery()
        )
        query = query.where(
            R.c.experiment_id.in_(
                select(X.c.id).where(X.c.chain_id == chain, readable_by(reader, X))
            )
        )
    if wanted.beyond_teams:
        query = query.where(R.c.visibility.in_(BEYOND_TEAMS))
    if wanted.since:
        query = query.where(R.c.happened_on >= wanted.since)
    if wanted.until:
        query = query.where(R.c.happened_on <= wanted.until)
    query = query.order_by(R.c.happened_on.desc(), R.c.recorded_at.desc())
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        return list(conn.execute(query))


def author_of(engine: Engine, reader: Reader, row: Row[Any]) -> Person:
    """Who recorded a reflection the reader may read, as `people_in_team` shows them."""
    with engine.connect() as conn:
        return people_in_team(conn, reader, row.team_id, {row.author_id})[row.author_id]


def reflection(engine: Engine, reader: Reader, reflection_id: UUID) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(
            select(
                R,
                learning_teams.c.name.label("team_name"),
                X.c.title.label("experiment_title"),
                X.c.language.label("experiment_language"),
                providers.c.name.label("provider_name"),
            )
            .join(learning_teams, learning_teams.c.id == R.c.team_id)
            .outerjoin(X, _linked_experiment(reader))
            .outerjoin(providers, providers.c.id == R.c.provider_id)
            .where(R.c.id == reflection_id, readable_by(reader, R))
        ).first()


@dataclass(frozen=True)
class Redacted:
    by: Person
    at: Any
    reason: str


@dataclass(frozen=True)
class Version:
    """One version as a reader may see it. `number` counts versions (1, 2, 3); `key` is
    the event's number, which redaction forms name. `content` is None when the version is
    not shared with this reader: each version keeps the visibility it was written with."""

    number: int
    key: int
    content: ReflectionContent | None
    by: Person | None  # None when the version is not shared with this reader
    at: Any
    redacted: Redacted | None = None

    @property
    def shared(self) -> bool:
        return self.content is not None


def reflection_versions(
    engine: Engine, reader: Reader, reflection_id: UUID, team_id: UUID
) -> list[Version]:
    """Every version, newest first, each shown only to those its own visibility allows.
    Callers check the reader may read the reflection (its current version) first."""
    with engine.connect() as conn:
        rows = list(
            conn.execute(select(V).where(V.c.reflection_id == reflection_id).order_by(V.c.version))
        )
        redactions = {
            row.version: row
            for row in conn.execute(select(D).where(D.c.reflection_id == reflection_id))
        }
        people = people_in_team(
            conn,
            reader,
            team_id,
            {row.by for row in rows} | {row.by for row in redactions.values()},
        )
    versions: list[Version] = []
    for number, row in enumerate(rows, start=1):
        content = ReflectionContent.from_event(json.loads(row.content))
        shared = reader.may_read(content.visibility, team_id)
        redaction = redactions.get(row.version)
        versions.append(
            Version(
                number=number,
                key=row.version,
                content=content if shared else None,
                by=people[row.by] if shared else None,
                at=row.at,
                redacted=(
                    Redacted(people[redaction.by], redaction.at, redaction.reason)
                    if redaction is not None and shared
                    else None
                ),
            )
        )
    return list(reversed(versions))
