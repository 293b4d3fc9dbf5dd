"""Teams and the people in them, as the learning pages list them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, Row, and_, func, select

from cairn.domain.learning.visibility import Reader
from cairn.readmodels.accounts.accounts import accounts
from cairn.readmodels.directory.providers import providers
from cairn.readmodels.learning.teams import (
    learning_memberships,
    learning_team_shares,
    learning_teams,
)
from cairn.readmodels.learning.visibility import reader_for


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


@dataclass(frozen=True)
class Person:
    """Someone who recorded or changed learning, as a reader may see them: the name only
    inside the team (`Reader.sees_names_in`), else None; `is_lead` None once they left."""

    name: str | None
    is_lead: bool | None


def people_in_team(
    conn: Connection, reader: Reader, team_id: UUID, account_ids: set[UUID | None]
) -> dict[UUID | None, Person]:
    ids = {i for i in account_ids if i is not None}
    names = reader.sees_names_in(team_id)
    rows: Iterable[Row[Any]] = (
        conn.execute(
            select(accounts.c.id, accounts.c.display_name, learning_memberships.c.is_lead)
            .outerjoin(
                learning_memberships,
                and_(
                    learning_memberships.c.account_id == accounts.c.id,
                    learning_memberships.c.team_id == team_id,
                ),
            )
            .where(accounts.c.id.in_(ids))
        )
        if ids
        else []
    )
    found: dict[UUID | None, Person] = {
        row.id: Person(row.display_name if names else None, row.is_lead) for row in rows
    }
    return {i: found.get(i, Person(None, None)) for i in account_ids}


def approved_providers(engine: Engine) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(providers.c.id, providers.c.name)
                .where(providers.c.status == "approved")
                .order_by(providers.c.name)
            )
        )
