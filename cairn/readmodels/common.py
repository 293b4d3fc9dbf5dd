"""Read-model queries the views use. Views never load aggregates to render lists."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import Engine, Row, func, select

from cairn.domain.directory.lifecycle import Status
from cairn.readmodels.accounts.accounts import accounts
from cairn.readmodels.directory.providers import providers
from cairn.readmodels.directory.rows import ProviderRow, provider_row_of, provider_rows_of

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


# A page of plain SQLAlchemy rows, for queries with no typed row of their own.
RowPage = Page[Row[Any]]


def clamp_page(raw: object, default: int = 1) -> int:
    """?page=N from a URL: anything odd falls back to the first page."""
    try:
        number = int(str(raw))
    except (TypeError, ValueError):
        return default
    return max(1, min(number, 100_000))


def account_by_id(engine: Engine, account_id: UUID) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(select(accounts).where(accounts.c.id == account_id)).first()


def account_by_email(engine: Engine, email: str) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(
            select(accounts).where(accounts.c.email_key == email.strip().lower())
        ).first()


def providers_by_status(
    engine: Engine, status: Status, page: int, size: int = 20
) -> Page[ProviderRow]:
    order = (
        [providers.c.applied_at, providers.c.id]
        if status == Status.APPLIED
        else [providers.c.name, providers.c.id]
    )
    where = [providers.c.status == status.value]
    if status == Status.APPROVED:
        where.append(providers.c.hidden_reason.is_(None))  # hidden while insurance has lapsed
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(providers).where(*where)).scalar_one()
        last_page = max(1, math.ceil(total / size))
        page = min(page, last_page)
        rows = conn.execute(
            select(providers).where(*where).order_by(*order).limit(size).offset((page - 1) * size)
        ).all()
    return Page(items=provider_rows_of(list(rows)), number=page, size=size, total=total)


def provider_by_id(engine: Engine, provider_id: UUID) -> ProviderRow | None:
    with engine.connect() as conn:
        row = conn.execute(select(providers).where(providers.c.id == provider_id)).first()
    return None if row is None else provider_row_of(row)
