"""Read-model queries about accounts: who is signing in, and the administrators' list."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Row, exists, func, select

from cairn.readmodels.accounts.accounts import (
    accounts,
    confirmed_emails,
    disabled_accounts,
    learning_notices_off,
)
from cairn.readmodels.learning.teams import learning_memberships
from cairn.readmodels.paging import RowPage as Page


@dataclass(frozen=True)
class AccountState:
    """What each request needs to know about the signed-in account."""

    id: UUID
    email: str
    display_name: str
    roles: tuple[str, ...]
    disabled: bool
    in_a_team: bool


def account_state(engine: Engine, account_id: UUID) -> AccountState | None:
    """One query: the account, whether it is disabled, and whether it is in any team."""
    disabled = exists().where(disabled_accounts.c.account_id == account_id)
    in_a_team = exists().where(learning_memberships.c.account_id == account_id)
    with engine.connect() as conn:
        row = conn.execute(
            select(
                accounts.c.id,
                accounts.c.email,
                accounts.c.display_name,
                accounts.c.roles,
                disabled.label("disabled"),
                in_a_team.label("in_a_team"),
            ).where(accounts.c.id == account_id)
        ).first()
    if row is None:
        return None
    return AccountState(
        row.id,
        row.email,
        row.display_name,
        tuple(row.roles),
        bool(row.disabled),
        bool(row.in_a_team),
    )


def is_disabled(engine: Engine, account_id: UUID) -> bool:
    with engine.connect() as conn:
        return (
            conn.execute(
                select(disabled_accounts.c.account_id).where(
                    disabled_accounts.c.account_id == account_id
                )
            ).first()
            is not None
        )


# The columns the administrators' list can be sorted by (the web's ?sort= keys); the first is
# the default.
ACCOUNT_SORTS = ("name", "email", "status")


def accounts_page(
    engine: Engine, page: int, size: int = 50, sort: str = "name", descending: bool = False
) -> Page:
    """Every account for the administrators' list, with whether it is disabled; by name
    unless sorted by another of ACCOUNT_SORTS."""
    disabled = exists().where(disabled_accounts.c.account_id == accounts.c.id).label("disabled")
    column = {
        "name": func.lower(accounts.c.display_name),
        "email": accounts.c.email,
        "status": disabled,
    }.get(sort, func.lower(accounts.c.display_name))
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(accounts)).scalar_one()
        page = min(page, max(1, math.ceil(total / size)))
        rows: list[Any] = list(
            conn.execute(
                select(
                    accounts.c.id,
                    accounts.c.email,
                    accounts.c.display_name,
                    accounts.c.roles,
                    disabled,
                )
                .order_by(
                    column.desc() if descending else column.asc(),
                    func.lower(accounts.c.display_name),
                    accounts.c.id,
                )
                .limit(size)
                .offset((page - 1) * size)
            ).all()
        )
    return Page(items=rows, number=page, size=size, total=total)


def account_by_id(engine: Engine, account_id: UUID) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(select(accounts).where(accounts.c.id == account_id)).first()


def account_by_email(engine: Engine, email: str) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(
            select(accounts).where(accounts.c.email_key == email.strip().lower())
        ).first()


def email_confirmed_on(engine: Engine, account_id: UUID) -> date | None:
    """When the account's email address was confirmed (None: not yet)."""
    with engine.connect() as conn:
        found = conn.execute(
            select(confirmed_emails.c.confirmed_on).where(
                confirmed_emails.c.account_id == account_id
            )
        ).scalar()
    return found if isinstance(found, date) else None


def wants_learning_notices(engine: Engine, account_id: UUID) -> bool:
    """Whether the person still gets emails about their learning teams (on unless turned off)."""
    with engine.connect() as conn:
        off = conn.execute(
            select(learning_notices_off.c.account_id).where(
                learning_notices_off.c.account_id == account_id
            )
        ).first()
    return off is None
