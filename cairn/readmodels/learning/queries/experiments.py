"""Experiments as the board, the story of a chain, what changed, the public funding page and
search read them. Every query that returns learning filters with `readable_by`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Row, and_, func, select

from cairn.domain.learning.visibility import ANONYMOUS, Reader
from cairn.domain.learning.vocabulary import (
    ADAPT,
    ADOPT,
    BEYOND_TEAMS,
    CONCLUDED,
    MAKING_SENSE,
    RUNNING,
)
from cairn.readmodels.learning.experiments import (
    STAGE_ORDER,
    learning_amendments,
    learning_experiment_links,
    learning_experiments,
    learning_observation_versions,
    learning_observations,
    learning_resumptions,
    learning_sense_making,
)
from cairn.readmodels.learning.reflections import learning_reflections
from cairn.readmodels.learning.teams import learning_teams
from cairn.readmodels.learning.visibility import readable_by

R = learning_reflections
X = learning_experiments
OBS, OBS_VERSIONS = learning_observations, learning_observation_versions
L = learning_experiment_links


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
class Observed:
    """An observation as it stands, with its earlier versions (oldest first; empty if it was
    never corrected)."""

    now: Row[Any]
    earlier: list[Row[Any]]


@dataclass(frozen=True)
class Cycle:
    experiment: Row[Any]
    observations: list[Observed]
    reflections: list[Row[Any]]
    amendments: list[Row[Any]] = field(default_factory=list)
    sessions: list[Row[Any]] = field(default_factory=list)
    resumptions: list[Row[Any]] = field(default_factory=list)

    @property
    def measures(self) -> list[Row[Any]]:
        """The observations that carry a number, in date order: what the run chart draws."""
        return [o.now for o in self.observations if o.now.value is not None]

    @property
    def original(self) -> Row[Any] | None:
        """The first amendment, whose `*_before` columns hold the plan as it started."""
        return self.amendments[0] if self.amendments else None


def _by_experiment(conn: Any, table: Any, ids: list[UUID], *order: Any) -> dict[UUID, list[Any]]:
    found: dict[UUID, list[Row[Any]]] = defaultdict(list)
    for row in conn.execute(select(table).where(table.c.experiment_id.in_(ids)).order_by(*order)):
        found[row.experiment_id].append(row)
    return found


def story(engine: Engine, reader: Reader, chain_id: UUID) -> list[Cycle]:
    """Every readable cycle of one experiment, first to last, with what was noticed, how the
    plan was amended, the sense-making sessions and any return to running."""
    with engine.connect() as conn:
        cycles = list(
            conn.execute(
                select(X)
                .where(X.c.chain_id == chain_id, readable_by(reader, X))
                .order_by(X.c.cycle)
            )
        )
        ids = [row.id for row in cycles]
        if not ids:
            return []
        observations = _by_experiment(conn, OBS, ids, OBS.c.observed_on, OBS.c.position)
        versions: dict[UUID, list[Row[Any]]] = defaultdict(list)
        for row in conn.execute(
            select(OBS_VERSIONS)
            .where(OBS_VERSIONS.c.experiment_id.in_(ids))
            .order_by(OBS_VERSIONS.c.version)
        ):
            versions[row.observation_id].append(row)
        amendments = _by_experiment(conn, learning_amendments, ids, learning_amendments.c.version)
        sessions = _by_experiment(
            conn,
            learning_sense_making,
            ids,
            learning_sense_making.c.held_on,
            learning_sense_making.c.position,
        )
        resumptions = _by_experiment(
            conn, learning_resumptions, ids, learning_resumptions.c.version
        )
        linked: dict[UUID, list[Row[Any]]] = defaultdict(list)
        for row in conn.execute(
            select(R)
            .where(R.c.experiment_id.in_(ids), readable_by(reader, R))
            .order_by(R.c.happened_on)
        ):
            linked[row.experiment_id].append(row)
    return [
        Cycle(
            row,
            [
                Observed(o, [v for v in versions[o.id] if v.version < o.version])
                for o in observations[row.id]
            ],
            linked[row.id],
            amendments[row.id],
            sessions[row.id],
            resumptions[row.id],
        )
        for row in cycles
    ]


def observation(
    engine: Engine, reader: Reader, experiment_id: UUID, observation_id: UUID
) -> Row[Any] | None:
    """One observation of a readable experiment, as it stands."""
    with engine.connect() as conn:
        return conn.execute(
            select(OBS)
            .join(X, X.c.id == OBS.c.experiment_id)
            .where(
                OBS.c.id == observation_id,
                OBS.c.experiment_id == experiment_id,
                readable_by(reader, X),
            )
        ).first()


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


def open_experiments(engine: Engine, reader: Reader, limit: int) -> list[Row[Any]]:
    """Experiments shared beyond teams (public, or with everyone signed in) that this reader
    may read, across every team, the latest cycle of each chain, newest first."""
    shared = (X.c.visibility.in_(BEYOND_TEAMS), readable_by(reader, X))
    latest_cycles = (
        select(X.c.chain_id, func.max(X.c.cycle).label("cycle"))
        .where(*shared)
        .group_by(X.c.chain_id)
        .subquery()
    )
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(X, learning_teams.c.name.label("team_name"))
                .join(learning_teams, learning_teams.c.id == X.c.team_id)
                .join(
                    latest_cycles,
                    (latest_cycles.c.chain_id == X.c.chain_id)
                    & (latest_cycles.c.cycle == X.c.cycle),
                )
                .where(*shared)
                .order_by(X.c.proposed_on.desc(), X.c.title)
                .limit(limit)
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


def funding_facts(engine: Engine, *, details_of_unpublished: bool = False) -> list[dict[str, Any]]:
    """Every experiment cycle, as funding reads it: published (public and started) or not.
    An unpublished cycle's words are blanked here unless asked for (the recording pages, for
    a CIC administrator), so /funding cannot show what it was never given."""
    published_clause = and_(
        readable_by(ANONYMOUS, X), X.c.stage.in_((RUNNING, MAKING_SENSE, CONCLUDED))
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                X,
                learning_teams.c.name.label("team_name"),
                published_clause.label("published"),
            )
            .join(learning_teams, learning_teams.c.id == X.c.team_id)
            .order_by(X.c.chain_id, X.c.cycle)
        )
        facts = []
        for row in rows:
            published = bool(row.published)
            shown = published or details_of_unpublished
            facts.append(
                {
                    "id": row.id,
                    "chain_id": row.chain_id,
                    "cycle": row.cycle,
                    "title": row.title if shown else "",
                    "team_name": row.team_name if shown else "",
                    "stage": row.stage,
                    "outcome": row.outcome,
                    "learned": row.learned if shown else "",
                    "language": row.language,
                    "conclusion_language": row.conclusion_language,
                    "started_on": row.started_on,
                    "concluded_on": row.concluded_on,
                    "published": published,
                    "typed_amount": row.funding_amount,
                    "typed_funder": row.funder,
                    "typed_months": row.committed_months,
                    "typed_starts_on": row.starts_on,
                }
            )
    return facts


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


# -- what experiments build on, across teams --------------------------------------------


def experiments_across(
    engine: Engine,
    reader: Reader,
    *,
    team_id: UUID | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[Row[Any]]:
    """Every team's experiments the reader may read, with the team's name, newest first;
    `since`/`until` bound the date each was proposed."""
    query = (
        select(X, learning_teams.c.name.label("team_name"))
        .join(learning_teams, learning_teams.c.id == X.c.team_id)
        .where(readable_by(reader, X))
    )
    if team_id is not None:
        query = query.where(X.c.team_id == team_id)
    if since is not None:
        query = query.where(X.c.proposed_on >= since)
    if until is not None:
        query = query.where(X.c.proposed_on <= until)
    with engine.connect() as conn:
        return list(conn.execute(query.order_by(X.c.proposed_on.desc(), X.c.title)))


@dataclass(frozen=True)
class Connections:
    """What one experiment builds on and what builds on it, each a readable experiment."""

    builds_on: list[Row[Any]] = field(default_factory=list)
    built_on_by: list[Row[Any]] = field(default_factory=list)


def _ends(near: Any, far: Any) -> Any:
    """The far end of each link from `near`, with its team's name, as the reader may read it.
    Callers only ask about experiments the reader may read, so both ends are readable."""
    return (
        select(
            near.label("source_id"),
            X.c.id,
            X.c.title,
            X.c.language,
            X.c.cycle,
            X.c.chain_id,
            X.c.team_id,
            learning_teams.c.name.label("team_name"),
        )
        .join(X, X.c.id == far)
        .join(learning_teams, learning_teams.c.id == X.c.team_id)
    )


def connections(
    engine: Engine, reader: Reader, experiment_ids: Iterable[UUID]
) -> dict[UUID, Connections]:
    """For each experiment (one the reader may read): the readable experiments it builds
    on and the readable ones that build on it. A link to one they may not read is left out,
    so its title never shows (nor that it exists)."""
    ids = list(experiment_ids)
    found: dict[UUID, Connections] = {i: Connections() for i in ids}
    if not ids:
        return found
    with engine.connect() as conn:
        for row in conn.execute(
            _ends(L.c.experiment_id, L.c.builds_on_id)
            .where(L.c.experiment_id.in_(ids), readable_by(reader, X))
            .order_by(X.c.title)
        ):
            found[row.source_id].builds_on.append(row)
        for row in conn.execute(
            _ends(L.c.builds_on_id, L.c.experiment_id)
            .where(L.c.builds_on_id.in_(ids), readable_by(reader, X))
            .order_by(X.c.title)
        ):
            found[row.source_id].built_on_by.append(row)
    return found


def builds_on_ids(engine: Engine, experiment_id: UUID) -> list[UUID]:
    """Every experiment this one builds on, readable or not: only ids, never shown, so an
    edit keeps the links the editor cannot see."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(L.c.builds_on_id).where(L.c.experiment_id == experiment_id)
            ).scalars()
        )


def links_across(engine: Engine, reader: Reader) -> list[Row[Any]]:
    """Every link whose two experiments the reader may both read: (later, its team, what it
    builds on, that one's team), for the partnership view."""
    later, earlier = X.alias("later"), X.alias("earlier")
    later_team, earlier_team = (
        learning_teams.alias("later_team"),
        learning_teams.alias("earlier_team"),
    )
    query = (
        select(
            later.c.id.label("id"),
            later.c.title.label("title"),
            later.c.language.label("language"),
            later.c.team_id.label("team_id"),
            later_team.c.name.label("team_name"),
            earlier.c.id.label("builds_on_id"),
            earlier.c.team_id.label("builds_on_team_id"),
            earlier.c.title.label("builds_on_title"),
            earlier.c.language.label("builds_on_language"),
            earlier_team.c.name.label("builds_on_team_name"),
            (later.c.team_id != earlier.c.team_id).label("across_teams"),
        )
        .select_from(L)
        .join(later, later.c.id == L.c.experiment_id)
        .join(earlier, earlier.c.id == L.c.builds_on_id)
        .join(later_team, later_team.c.id == later.c.team_id)
        .join(earlier_team, earlier_team.c.id == earlier.c.team_id)
        .where(readable_by(reader, later), readable_by(reader, earlier))
        .order_by(later_team.c.name, later.c.title, earlier.c.title)
    )
    with engine.connect() as conn:
        return list(conn.execute(query))
