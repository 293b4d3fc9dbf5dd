"""Read-model queries for the learning log. Every query that returns learning takes a
`Reader` and filters with `readable_by`, so nothing leaks past the visibility rule."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Engine, Row, and_, exists, func, select

from cairn.domain.learning.content import ReflectionContent
from cairn.domain.learning.visibility import ANONYMOUS, Reader
from cairn.domain.learning.vocabulary import (
    ADAPT,
    ADOPT,
    CONCLUDED,
    MAKING_SENSE,
    PRINCIPLES,
    RUNNING,
)
from cairn.readmodels.accounts.accounts import accounts
from cairn.readmodels.directory.providers import providers
from cairn.readmodels.learning.experiments import (
    STAGE_ORDER,
    learning_experiments,
    learning_observations,
)
from cairn.readmodels.learning.reflections import (
    learning_reflection_redactions,
    learning_reflection_tags,
    learning_reflection_versions,
    learning_reflections,
)
from cairn.readmodels.learning.teams import (
    learning_memberships,
    learning_team_shares,
    learning_teams,
)
from cairn.readmodels.learning.visibility import readable_by, reader_for

R = learning_reflections
X = learning_experiments
V = learning_reflection_versions
D = learning_reflection_redactions


def reader_of(engine: Engine, account_id: UUID | None) -> Reader:
    with engine.connect() as conn:
        return reader_for(conn, account_id)


# -- teams --------------------------------------------------------------------------


def all_teams(engine: Engine) -> list[Row[Any]]:
    members = (
        select(func.count())
        .select_from(learning_memberships)
        .where(learning_memberships.c.team_id == learning_teams.c.id)
        .scalar_subquery()
    )
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(learning_teams, members.label("member_count")).order_by(
                    learning_teams.c.name
                )
            )
        )


def team_by_id(engine: Engine, team_id: UUID) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(select(learning_teams).where(learning_teams.c.id == team_id)).first()


def team_members(engine: Engine, team_id: UUID) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(
                    accounts.c.id,
                    accounts.c.display_name,
                    accounts.c.email,
                    learning_memberships.c.is_lead,
                )
                .join(accounts, accounts.c.id == learning_memberships.c.account_id)
                .where(learning_memberships.c.team_id == team_id)
                .order_by(learning_memberships.c.is_lead.desc(), accounts.c.display_name)
            )
        )


def teams_shared_with(engine: Engine, team_id: UUID) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(learning_teams.c.id, learning_teams.c.name)
                .join(
                    learning_team_shares,
                    learning_team_shares.c.reader_team_id == learning_teams.c.id,
                )
                .where(learning_team_shares.c.team_id == team_id)
                .order_by(learning_teams.c.name)
            )
        )


def names_of(engine: Engine, account_ids: set[UUID]) -> dict[UUID, str]:
    if not account_ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(accounts.c.id, accounts.c.display_name).where(accounts.c.id.in_(account_ids))
        )
        return {row.id: row.display_name for row in rows}


def approved_providers(engine: Engine) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(providers.c.id, providers.c.name)
                .where(providers.c.status == "approved")
                .order_by(providers.c.name)
            )
        )


# -- reflections --------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineFilter:
    theme: str = ""
    principle: str = ""
    voice: str = ""
    experiment: UUID | None = None  # any cycle of this experiment's chain
    since: date | None = None
    until: date | None = None

    @property
    def active(self) -> bool:
        return any(
            (self.theme, self.principle, self.voice, self.experiment, self.since, self.until)
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
        select(R, learning_teams.c.name.label("team_name"), X.c.title.label("experiment_title"))
        .join(learning_teams, learning_teams.c.id == R.c.team_id)
        .outerjoin(X, _linked_experiment(reader))
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
    if wanted.since:
        query = query.where(R.c.happened_on >= wanted.since)
    if wanted.until:
        query = query.where(R.c.happened_on <= wanted.until)
    query = query.order_by(R.c.happened_on.desc(), R.c.recorded_at.desc())
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        return list(conn.execute(query))


def reflection(engine: Engine, reader: Reader, reflection_id: UUID) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(
            select(
                R,
                learning_teams.c.name.label("team_name"),
                X.c.title.label("experiment_title"),
                providers.c.name.label("provider_name"),
            )
            .join(learning_teams, learning_teams.c.id == R.c.team_id)
            .outerjoin(X, _linked_experiment(reader))
            .outerjoin(providers, providers.c.id == R.c.provider_id)
            .where(R.c.id == reflection_id, readable_by(reader, R))
        ).first()


@dataclass(frozen=True)
class Redacted:
    by: str
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
    by: str
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
            conn.execute(
                select(V, accounts.c.display_name)
                .outerjoin(accounts, accounts.c.id == V.c.by)
                .where(V.c.reflection_id == reflection_id)
                .order_by(V.c.version)
            )
        )
        redactions = {
            row.version: row
            for row in conn.execute(
                select(D, accounts.c.display_name)
                .outerjoin(accounts, accounts.c.id == D.c.by)
                .where(D.c.reflection_id == reflection_id)
            )
        }
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
                by=(row.display_name or "") if shared else "",
                at=row.at,
                redacted=(
                    Redacted(redaction.display_name or "", redaction.at, redaction.reason)
                    if redaction is not None and shared
                    else None
                ),
            )
        )
    return list(reversed(versions))


@dataclass(frozen=True)
class Tally:
    key: str
    count: int
    latest: date | None
    recent: list[Row[Any]]


def tag_tallies(engine: Engine, reader: Reader, team_id: UUID, kind: str) -> list[Tally]:
    """For each theme (or principle, or voice): the readable reflections that carry it."""
    with engine.connect() as conn:
        rows = list(
            conn.execute(
                select(learning_reflection_tags.c.value, R.c.id, R.c.title, R.c.happened_on)
                .join(R, R.c.id == learning_reflection_tags.c.reflection_id)
                .where(
                    learning_reflection_tags.c.kind == kind,
                    R.c.team_id == team_id,
                    readable_by(reader, R),
                )
                .order_by(R.c.happened_on.desc())
            )
        )
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.value].append(row)
    tallies = [
        Tally(key, len(items), items[0].happened_on, items[:3]) for key, items in grouped.items()
    ]
    return sorted(tallies, key=lambda t: (-t.count, t.key))


def principle_tallies(engine: Engine, reader: Reader, team_id: UUID) -> list[Tally]:
    """All nine principles, in their order, including those no learning touches yet."""
    found = {t.key: t for t in tag_tallies(engine, reader, team_id, "principle")}
    return [found.get(key, Tally(key, 0, None, [])) for key in PRINCIPLES]


# -- experiments --------------------------------------------------------------------


def experiments_of(engine: Engine, reader: Reader, team_id: UUID) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(X)
                .where(X.c.team_id == team_id, readable_by(reader, X))
                .order_by(X.c.proposed_on.desc(), X.c.title)
            )
        )


def board(engine: Engine, reader: Reader, team_id: UUID) -> dict[str, list[Row[Any]]]:
    columns: dict[str, list[Row[Any]]] = {stage: [] for stage in STAGE_ORDER}
    for row in experiments_of(engine, reader, team_id):
        columns[row.stage].append(row)
    return columns


def experiment(engine: Engine, reader: Reader, experiment_id: UUID) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(
            select(X, learning_teams.c.name.label("team_name"))
            .join(learning_teams, learning_teams.c.id == X.c.team_id)
            .where(X.c.id == experiment_id, readable_by(reader, X))
        ).first()


@dataclass(frozen=True)
class Cycle:
    experiment: Row[Any]
    observations: list[Row[Any]]
    reflections: list[Row[Any]]


def story(engine: Engine, reader: Reader, chain_id: UUID) -> list[Cycle]:
    """Every readable cycle of one experiment, first to last, with what was noticed."""
    with engine.connect() as conn:
        cycles = list(
            conn.execute(
                select(X)
                .where(X.c.chain_id == chain_id, readable_by(reader, X))
                .order_by(X.c.cycle)
            )
        )
        ids = [row.id for row in cycles]
        observations: dict[UUID, list[Row[Any]]] = defaultdict(list)
        linked: dict[UUID, list[Row[Any]]] = defaultdict(list)
        if ids:
            for row in conn.execute(
                select(learning_observations)
                .where(learning_observations.c.experiment_id.in_(ids))
                .order_by(learning_observations.c.observed_on, learning_observations.c.position)
            ):
                observations[row.experiment_id].append(row)
            for row in conn.execute(
                select(R)
                .where(R.c.experiment_id.in_(ids), readable_by(reader, R))
                .order_by(R.c.happened_on)
            ):
                linked[row.experiment_id].append(row)
    return [Cycle(row, observations[row.id], linked[row.id]) for row in cycles]


def changes(engine: Engine, reader: Reader, team_id: UUID) -> list[Row[Any]]:
    """Every adopt and adapt, newest first: what changed because of what we learned."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(X)
                .where(
                    X.c.team_id == team_id,
                    X.c.stage == CONCLUDED,
                    X.c.outcome.in_((ADOPT, ADAPT)),
                    readable_by(reader, X),
                )
                .order_by(X.c.concluded_on.desc(), X.c.cycle.desc())
            )
        )


def funded_in_public(engine: Engine) -> list[Row[Any]]:
    """Public experiments that are running or concluded, with their funding."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(X, learning_teams.c.name.label("team_name"))
                .join(learning_teams, learning_teams.c.id == X.c.team_id)
                .where(
                    readable_by(ANONYMOUS, X),
                    X.c.stage.in_((RUNNING, MAKING_SENSE, CONCLUDED)),
                )
                .order_by(X.c.stage == CONCLUDED, X.c.started_on.desc(), X.c.title)
            )
        )


def search_rows(
    engine: Engine, reader: Reader, reflection_ids: list[UUID], experiment_ids: list[UUID]
) -> tuple[dict[UUID, Row[Any]], dict[UUID, Row[Any]]]:
    """The rows behind search hits, checked again against the rule (belt and braces)."""
    with engine.connect() as conn:
        reflections = (
            {
                row.id: row
                for row in conn.execute(
                    select(R, learning_teams.c.name.label("team_name"))
                    .join(learning_teams, learning_teams.c.id == R.c.team_id)
                    .where(R.c.id.in_(reflection_ids), readable_by(reader, R))
                )
            }
            if reflection_ids
            else {}
        )
        experiments = (
            {
                row.id: row
                for row in conn.execute(
                    select(X, learning_teams.c.name.label("team_name"))
                    .join(learning_teams, learning_teams.c.id == X.c.team_id)
                    .where(X.c.id.in_(experiment_ids), readable_by(reader, X))
                )
            }
            if experiment_ids
            else {}
        )
    return reflections, experiments
