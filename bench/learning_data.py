"""Synthetic learning records: teams, reflections and test-and-learn cycles, built with the
domain aggregates' own methods (so every rule they enforce is enforced here too).

Content is deterministic by seed; aggregate ids are the domain's fresh uuid4s."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

from eventsourcing.domain import Aggregate

from cairn.domain.learning.content import ExperimentContent, ReflectionContent
from cairn.domain.learning.experiment import Experiment
from cairn.domain.learning.reflection import Reflection
from cairn.domain.learning.team import Team
from cairn.domain.learning.vocabulary import (
    ABANDON,
    ADAPT,
    ADOPT,
    EXPERIMENT_KINDS,
    HYPOTHESIS_TEST,
    LIVED_EXPERIENCE_VOICES,
    PRINCIPLES,
    SHARED,
    SIGNED_IN,
    TEAM,
    THEME_SUGGESTIONS,
    VOICES,
)

TEAM_PLACES = ("Ayrshire", "Leith", "Govan", "Oban", "Nairn", "Kelso", "Lewis", "Dundee")
TEAM_KINDS = ("carers' circle", "discharge group", "rural access team", "commissioning team")
TRIES = (
    "a weekly drop-in at the library instead of home visits",
    "matching people with the same provider for every visit",
    "a shared calendar between the ward and local micro-providers",
    "paying providers for travel time between rural visits",
    "asking people what a good week looks like before planning support",
    "a Gaelic-speaking companion for people on the islands",
)
NOTICED = (
    "More people came back the second week than we expected.",
    "Carers said they felt listened to for the first time in months.",
    "The paperwork took longer than the visit itself.",
    "Providers swapped visits among themselves to cover illness.",
    "Two people asked for the same companion by name.",
    "Nobody used the online form; everyone phoned.",
)
LEARNED = (
    "Continuity matters more to people than the exact time of a visit.",
    "Trust builds when the same person turns up each time.",
    "Travel time is the hidden cost that makes rural support fragile.",
    "People want to be asked, not assessed.",
    "Small providers cover for each other when we let them.",
)
VISIBILITIES = (TEAM, TEAM, SHARED, SIGNED_IN)


def learning_journeys(
    rng: random.Random, events_wanted: int, today: date, teams: int = 40
) -> Iterator[Aggregate]:
    """Teams first, then reflections and experiments until about `events_wanted` events."""
    members = [uuid.UUID(int=1000 + n) for n in range(teams * 6)]
    formed: list[Team] = []
    events = 0
    for n in range(teams):
        lead = members[n * 6]
        team = Team.form(
            f"{rng.choice(TEAM_PLACES)} {rng.choice(TEAM_KINDS)} {n:03d}",
            "Learning together about what helps people live well at home.",
            formed_by=lead,
        )
        team.add_member(lead, as_lead=True, by=lead)
        for member in members[n * 6 + 1 : n * 6 + 6]:
            team.add_member(member, as_lead=False, by=lead)
        formed.append(team)
        events += team.version
        yield team
    while events < events_wanted:
        team = rng.choice(formed)
        author = rng.choice(list(team.members))
        made: list[Aggregate] = (
            [_reflection(rng, team, author, today)]
            if rng.random() < 0.6
            else _experiment_cycles(rng, team, author, today)
        )
        for aggregate in made:
            events += aggregate.version
            yield aggregate


def _reflection(rng: random.Random, team: Team, author: uuid.UUID, today: date) -> Reflection:
    voices = tuple(rng.sample(list(VOICES), rng.randint(1, 3)))
    content = ReflectionContent(
        title=f"What we noticed about {rng.choice(THEME_SUGGESTIONS).replace('-', ' ')}",
        happened_on=today - timedelta(days=rng.randint(0, 700)),
        what_happened=f"We tried {rng.choice(TRIES)}.",
        what_we_noticed=rng.choice(NOTICED),
        what_we_learned=rng.choice(LEARNED),
        what_next="Keep going for another month and ask again.",
        voices=voices,
        consent_recorded=bool(LIVED_EXPERIENCE_VOICES.intersection(voices)),
        themes=tuple(rng.sample(THEME_SUGGESTIONS, rng.randint(1, 3))),
        principles=tuple(rng.sample(list(PRINCIPLES), rng.randint(1, 3))),
        visibility=rng.choice(VISIBILITIES),
    ).checked(today)
    reflection = Reflection.write(team.id, content, by=author)
    if rng.random() < 0.2:
        reflection.revise(
            ReflectionContent.from_event(
                {**content.to_event(), "what_next": "Share this with the partnership board."}
            ),
            by=author,
        )
    return reflection


def _experiment_cycles(
    rng: random.Random, team: Team, author: uuid.UUID, today: date
) -> list[Aggregate]:
    """One experiment; when it concludes by adapting, the next cycle too (as the command
    that concludes it does)."""
    kind = rng.choice(sorted(EXPERIMENT_KINDS))
    tried = rng.choice(TRIES)
    content = ExperimentContent(
        kind=kind,
        title=f"Try {tried[:60]}",
        purpose="Find out whether this helps people stay well at home.",
        question="Does it make support feel more like the person's own?",
        what_we_try=f"For six weeks: {tried}.",
        prediction="Fewer missed visits and more people saying they feel heard."
        if kind == HYPOTHESIS_TEST
        else "",
        visibility=rng.choice(VISIBILITIES),
    ).checked()
    started = today - timedelta(days=rng.randint(30, 700))
    experiment = Experiment(
        team_id=team.id, by=author, content=content.to_event(), proposed_on=started
    )
    if rng.random() < 0.1:
        return [experiment]  # still only proposed
    experiment.start(on=started, today=today, by=author)
    observed = started
    for _ in range(rng.randint(1, 6)):
        observed = min(today, observed + timedelta(days=rng.randint(1, 10)))
        experiment.observe(rng.choice(NOTICED), on=observed, today=today, by=author)
    if rng.random() < 0.25:
        return [experiment]  # still running
    experiment.begin_sense_making(on=observed, today=today, by=author)
    outcome = rng.choice((ADOPT, ADAPT, ABANDON))
    following = None
    if outcome == ADAPT:
        following = Experiment(
            team_id=team.id,
            by=author,
            content={**content.to_event(), "what_we_try": f"Again, but {rng.choice(TRIES)}."},
            proposed_on=observed,
            cycle=experiment.cycle + 1,
            previous_id=experiment.id,
            chain_id=experiment.chain_id,
        )
    experiment.conclude(
        outcome,
        learned=rng.choice(LEARNED),
        reason="The team and the people involved agreed.",
        on=observed,
        today=today,
        by=author,
        next_id=following.id if following else None,
    )
    return [experiment, following] if following else [experiment]
