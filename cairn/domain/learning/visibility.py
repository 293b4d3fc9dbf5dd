"""Who may read a piece of learning: the one rule every view, search and export applies.

A `Reader` says who is asking. `Reader.scopes()` turns that into the kinds of item they may
read, as (visibility, teams) pairs. The SQL read models and the search index each translate the
same scopes into their own filter, so the rule lives here once and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from cairn.domain.learning.vocabulary import PUBLIC, SHARED, SIGNED_IN, TEAM


@dataclass(frozen=True)
class Scope:
    """Items with this visibility, owned by one of these teams (None: by any team)."""

    visibility: str
    teams: frozenset[UUID] | None


@dataclass(frozen=True)
class Reader:
    """Who is reading. `sharing_teams`: teams whose 'shared' learning reaches this reader
    (their own teams, teams that share with one of them, and teams that share with everyone).
    `partnership`: a partnership lead, whom every team's 'shared' learning reaches (the
    visibility's label says so); team-only learning stays with the team all the same.
    `partner_of`: teams that named this reader a learning partner; their 'shared' learning
    reaches the reader too, but names stay inside the team (partners see roles)."""

    account_id: UUID | None = None
    member_of: frozenset[UUID] = field(default_factory=frozenset)
    sharing_teams: frozenset[UUID] = field(default_factory=frozenset)
    partnership: bool = False
    partner_of: frozenset[UUID] = field(default_factory=frozenset)

    @property
    def signed_in(self) -> bool:
        return self.account_id is not None

    def scopes(self) -> tuple[Scope, ...]:
        if not self.signed_in:
            return (Scope(PUBLIC, None),)
        return (
            Scope(PUBLIC, None),
            Scope(SIGNED_IN, None),
            Scope(
                SHARED,
                None if self.partnership else self.sharing_teams | self.member_of | self.partner_of,
            ),
            Scope(TEAM, self.member_of),
        )

    def sees_names_in(self, team_id: UUID) -> bool:
        """Names stay inside the team: beyond it, people are shown by their role."""
        return team_id in self.member_of

    def may_read(self, visibility: str, team_id: UUID) -> bool:
        return any(
            scope.visibility == visibility and (scope.teams is None or team_id in scope.teams)
            for scope in self.scopes()
        )


ANONYMOUS = Reader()


def sharing_teams_for(
    member_of: Iterable[UUID],
    shares: Iterable[tuple[UUID, UUID]],
    everyone: Iterable[UUID],
) -> frozenset[UUID]:
    """Teams whose 'shared' learning a member of `member_of` may read.

    `shares` holds (team, shares-with-team) pairs; `everyone` the teams sharing with all."""
    mine = frozenset(member_of)
    return (
        mine | {owner for owner, reader_team in shares if reader_team in mine} | frozenset(everyone)
    )
