"""Reflections and experiments read together, through the same filters and tags: the
timeline, the export and the report (`lens`), and the themes and principles pages
(`tag_tallies`). Every query takes a `Reader` and filters with `readable_by`.

An experiment is in a period when it was going on during it: proposed on or before the
period's end, and not concluded before its start. It is listed at its latest date (concluded,
else started, else proposed)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Row, and_, exists, func, or_, select

from cairn.domain.learning.visibility import Reader
from cairn.domain.learning.vocabulary import BEYOND_TEAMS, PRINCIPLES
from cairn.readmodels.learning.experiments import learning_experiment_tags, learning_experiments
from cairn.readmodels.learning.queries.reflections import TimelineFilter, timeline
from cairn.readmodels.learning.reflections import learning_reflection_tags, learning_reflections
from cairn.readmodels.learning.teams import learning_teams
from cairn.readmodels.learning.visibility import readable_by

R, X = learning_reflections, learning_experiments
RT, XT = learning_reflection_tags, learning_experiment_tags
REFLECTION, EXPERIMENT = "reflection", "experiment"
KINDS = (REFLECTION, EXPERIMENT)


@dataclass(frozen=True)
class Item:
    """One reflection or one experiment cycle, and the date it is listed at."""

    kind: str  # reflection | experiment
    row: Row[Any]
    on: date

    @property
    def is_experiment(self) -> bool:
        return self.kind == EXPERIMENT

    @property
    def order(self) -> tuple[date, Any]:
        """Newest first by date, then, on one day, by when it was last written."""
        return self.on, self.row.updated_at if self.is_experiment else self.row.recorded_at


def listed_on(row: Any) -> date:
    """An experiment's latest date: where a timeline puts it."""
    return row.concluded_on or row.started_on or row.proposed_on  # type: ignore[no-any-return]


def _tagged(kind: str, value: str) -> Any:
    return exists().where(
        and_(XT.c.experiment_id == X.c.id, XT.c.kind == kind, XT.c.value == value)
    )


def experiments_matching(
    engine: Engine, reader: Reader, team_id: UUID | None, wanted: TimelineFilter
) -> list[Row[Any]]:
    """Experiment cycles the reader may read that match the filters, latest first."""
    query = (
        select(X, learning_teams.c.name.label("team_name"))
        .join(learning_teams, learning_teams.c.id == X.c.team_id)
        .where(readable_by(reader, X))
    )
    if team_id is not None:
        query = query.where(X.c.team_id == team_id)
    for kind, value in (
        ("theme", wanted.theme),
        ("principle", wanted.principle),
        ("voice", wanted.voice),
    ):
        if value:
            query = query.where(_tagged(kind, value))
    if wanted.experiment:
        # Every cycle of a chain the reader may read, as the reflections' filter follows it.
        chain = (
            select(X.c.chain_id)
            .where(X.c.id == wanted.experiment, readable_by(reader, X))
            .scalar_subquery()
        )
        query = query.where(X.c.chain_id == chain)
    if wanted.beyond_teams:
        query = query.where(X.c.visibility.in_(BEYOND_TEAMS))
    if wanted.since:
        query = query.where(or_(X.c.concluded_on.is_(None), X.c.concluded_on >= wanted.since))
    if wanted.until:
        query = query.where(X.c.proposed_on <= wanted.until)
    latest = func.coalesce(X.c.concluded_on, X.c.started_on, X.c.proposed_on)
    query = query.order_by(latest.desc(), X.c.cycle.desc(), X.c.title)
    with engine.connect() as conn:
        return list(conn.execute(query))


def lens(
    engine: Engine, reader: Reader, team_id: UUID | None, wanted: TimelineFilter | None = None
) -> list[Item]:
    """Both kinds (or the one `wanted.kind` names) matching the filters, newest first."""
    wanted = wanted or TimelineFilter()
    items: list[Item] = []
    if wanted.kind != EXPERIMENT:
        items += [
            Item(REFLECTION, r, r.happened_on) for r in timeline(engine, reader, team_id, wanted)
        ]
    if wanted.kind != REFLECTION:
        items += [
            Item(EXPERIMENT, x, listed_on(x))
            for x in experiments_matching(engine, reader, team_id, wanted)
        ]
    return sorted(items, key=lambda item: item.order, reverse=True)


@dataclass(frozen=True)
class Tally:
    key: str
    reflections: int
    experiments: int
    latest: date | None
    recent: list[Item]

    @property
    def count(self) -> int:
        return self.reflections + self.experiments


def tag_tallies(engine: Engine, reader: Reader, team_id: UUID | None, kind: str) -> list[Tally]:
    """For each theme (or principle, or voice): the readable reflections and experiments
    that carry it, most first, of one team or (None) of every team the reader may read."""
    with engine.connect() as conn:
        reflections = conn.execute(
            select(RT.c.value, R)
            .join(R, R.c.id == RT.c.reflection_id)
            .where(RT.c.kind == kind, readable_by(reader, R), *_of_team(R, team_id))
        )
        found: dict[str, list[Item]] = defaultdict(list)
        for row in reflections:
            found[row.value].append(Item(REFLECTION, row, row.happened_on))
        experiments = conn.execute(
            select(XT.c.value, X)
            .join(X, X.c.id == XT.c.experiment_id)
            .where(XT.c.kind == kind, readable_by(reader, X), *_of_team(X, team_id))
        )
        for row in experiments:
            found[row.value].append(Item(EXPERIMENT, row, listed_on(row)))
    tallies = []
    for key, items in found.items():
        items.sort(key=lambda item: item.order, reverse=True)
        counted = sum(item.is_experiment for item in items)
        tallies.append(Tally(key, len(items) - counted, counted, items[0].on, items[:3]))
    return sorted(tallies, key=lambda t: (-t.count, t.key))


def _of_team(table: Any, team_id: UUID | None) -> list[Any]:
    return [] if team_id is None else [table.c.team_id == team_id]


def principle_tallies(engine: Engine, reader: Reader, team_id: UUID | None) -> list[Tally]:
    """All nine principles, in their order, including those no learning touches yet."""
    found = {t.key: t for t in tag_tallies(engine, reader, team_id, "principle")}
    return [found.get(key, Tally(key, 0, 0, None, [])) for key in PRINCIPLES]
