"""Reading the funding tables: all of them at once for the report, and lists for the forms."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Row, func, select

from cairn.readmodels.funding.report import (
    AllocationRow,
    CommitmentRow,
    FundingTables,
    FundKey,
    TierRow,
)
from cairn.readmodels.funding.tables import (
    funding_allocations,
    funding_commitment_parts,
    funding_commitments,
    funding_funds,
    funding_spend,
    funding_tiers,
)


def funding_tables(engine: Engine) -> FundingTables:
    with engine.connect() as conn:
        funds = {
            row.id: FundKey(row.id, row.funder, row.name, row.restricted)
            for row in conn.execute(select(funding_funds))
        }
        tiers = [
            TierRow(row.id, row.number, row.name)
            for row in conn.execute(select(funding_tiers).order_by(funding_tiers.c.number))
        ]
        allocations = [
            AllocationRow(row.fund_id, row.tier_id, row.year, Decimal(row.amount))
            for row in conn.execute(select(funding_allocations))
        ]
        parts: dict[UUID, list[tuple[UUID, Decimal]]] = defaultdict(list)
        for row in conn.execute(
            select(funding_commitment_parts).order_by(funding_commitment_parts.c.amount.desc())
        ):
            parts[row.commitment_id].append((row.fund_id, Decimal(row.amount)))
        spent = {
            row.commitment_id: Decimal(row.spent)
            for row in conn.execute(
                select(
                    funding_spend.c.commitment_id, func.sum(funding_spend.c.amount).label("spent")
                ).group_by(funding_spend.c.commitment_id)
            )
        }
        commitments = [
            CommitmentRow(
                row.id,
                row.experiment_id,
                row.tier_id,
                row.starts_on,
                row.months,
                tuple(parts[row.id]),
                spent.get(row.id, Decimal("0.00")).quantize(Decimal("0.01")),
            )
            for row in conn.execute(
                select(funding_commitments).order_by(funding_commitments.c.starts_on)
            )
        ]
    return FundingTables(funds, tiers, allocations, commitments)


def funds(engine: Engine) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(funding_funds).order_by(funding_funds.c.funder, funding_funds.c.name)
            )
        )


def fund(engine: Engine, fund_id: UUID) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(select(funding_funds).where(funding_funds.c.id == fund_id)).first()


def tiers(engine: Engine) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(conn.execute(select(funding_tiers).order_by(funding_tiers.c.number)))


def allocations_of(engine: Engine, fund_id: UUID) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(funding_allocations, funding_tiers.c.number, funding_tiers.c.name)
                .join(funding_tiers, funding_tiers.c.id == funding_allocations.c.tier_id)
                .where(funding_allocations.c.fund_id == fund_id)
                .order_by(funding_allocations.c.year, funding_tiers.c.number)
            )
        )


def commitment(engine: Engine, commitment_id: UUID) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(
            select(funding_commitments).where(funding_commitments.c.id == commitment_id)
        ).first()


def spend_of(engine: Engine, commitment_id: UUID) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(funding_spend)
                .where(funding_spend.c.commitment_id == commitment_id)
                .order_by(funding_spend.c.spent_on)
            )
        )


def parts_of(engine: Engine, commitment_id: UUID) -> list[Row[Any]]:
    """The funds a commitment draws on, with each one's amount, largest first."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(funding_commitment_parts.c.amount, funding_funds)
                .join(funding_funds, funding_funds.c.id == funding_commitment_parts.c.fund_id)
                .where(funding_commitment_parts.c.commitment_id == commitment_id)
                .order_by(funding_commitment_parts.c.amount.desc())
            )
        )
