"""The visibility rule of cairn.domain.learning.visibility, as SQL, and who a reader is."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ColumnElement, Connection, FromClause, and_, false, or_, select, true

from cairn.domain.accounts.roles import reads_across_teams
from cairn.domain.learning.visibility import ANONYMOUS, Reader, sharing_teams_for
from cairn.readmodels.accounts.accounts import accounts
from cairn.readmodels.learning.teams import (
    learning_memberships,
    learning_partners,
    learning_team_shares,
    learning_teams,
)


def reader_for(conn: Connection, account_id: UUID | None) -> Reader:
    """The reader as the read models know them right now (memberships, sharing, role)."""
    if account_id is None:
        return ANONYMOUS
    member_of = frozenset(
        conn.execute(
            select(learning_memberships.c.team_id).where(
                learning_memberships.c.account_id == account_id
            )
        ).scalars()
    )
    shares: list[tuple[UUID, UUID]] = []
    if member_of:
        shares = [
            (row.team_id, row.reader_team_id)
            for row in conn.execute(
                select(learning_team_shares).where(
                    learning_team_shares.c.reader_team_id.in_(member_of)
                )
            )
        ]
    everyone = conn.execute(
        select(learning_teams.c.id).where(learning_teams.c.shares_with_everyone == true())
    ).scalars()
    roles = conn.execute(select(accounts.c.roles).where(accounts.c.id == account_id)).scalar()
    partner_of = frozenset(
        conn.execute(
            select(learning_partners.c.team_id).where(learning_partners.c.account_id == account_id)
        ).scalars()
    )
    return Reader(
        account_id=account_id,
        member_of=member_of,
        sharing_teams=sharing_teams_for(member_of, shares, everyone),
        partnership=reads_across_teams(roles or ()),
        partner_of=partner_of,
    )


def readable_by(reader: Reader, table: FromClause) -> ColumnElement[bool]:
    """A WHERE clause: rows of `table` (with visibility and team_id) that `reader` may read."""
    clauses: list[ColumnElement[bool]] = []
    for scope in reader.scopes():
        same_visibility = table.c.visibility == scope.visibility
        if scope.teams is None:
            clauses.append(same_visibility)
        elif scope.teams:
            clauses.append(and_(same_visibility, table.c.team_id.in_(scope.teams)))
    return or_(false(), *clauses)
