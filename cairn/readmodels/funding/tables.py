"""Funds, tiers, allocations, commitments (with their parts per fund) and spend, as tables."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    Numeric,
    String,
    Table,
    Uuid,
)

from cairn.domain.funding.commitment import Commitment
from cairn.domain.funding.fund import Fund
from cairn.domain.funding.tiers import SupportTiers
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

funding_funds = Table(
    "funding_funds",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("funder", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("restricted", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

funding_tiers = Table(
    "funding_tiers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("number", Integer, nullable=False),
    Column("name", String(200), nullable=False),
)

# `year`: the calendar year the financial year starts in.
funding_allocations = Table(
    "funding_allocations",
    metadata,
    Column("fund_id", Uuid, primary_key=True),
    Column("tier_id", Uuid, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("amount", Numeric(14, 2), nullable=False),
)

funding_commitments = Table(
    "funding_commitments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("experiment_id", Uuid, nullable=False, index=True),
    Column("tier_id", Uuid, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("months", Integer, nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

funding_commitment_parts = Table(
    "funding_commitment_parts",
    metadata,
    Column("commitment_id", Uuid, primary_key=True),
    Column("fund_id", Uuid, primary_key=True),
    Column("amount", Numeric(14, 2), nullable=False),
)

funding_spend = Table(
    "funding_spend",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("commitment_id", Uuid, nullable=False, index=True),
    Column("spent_on", Date, nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
)


def _fund_row(e: Fund.Opened | Fund.Corrected) -> dict[str, Any]:
    return {
        "funder": e.funder,
        "name": e.name,
        "starts_on": e.starts_on,
        "ends_on": e.ends_on,
        "restricted": e.restricted,
        "version": e.originator_version,
        "updated_at": e.timestamp,
    }


class FundingProjection(BatchedProjection):
    name = "funding"
    tables = (
        funding_funds,
        funding_tiers,
        funding_allocations,
        funding_commitments,
        funding_commitment_parts,
        funding_spend,
    )

    @handles(Fund.Opened)
    def opened(self, conn: Connection, e: Fund.Opened, position: int) -> None:
        self.rows.insert(funding_funds, {"id": e.originator_id, **_fund_row(e)})

    @handles(Fund.Corrected)
    def corrected(self, conn: Connection, e: Fund.Corrected, position: int) -> None:
        self.rows.update(funding_funds, e.originator_id, _fund_row(e))

    @handles(Fund.Allocated, Fund.AllocationCorrected)
    def allocated(
        self, conn: Connection, e: Fund.Allocated | Fund.AllocationCorrected, position: int
    ) -> None:
        self.rows.replace(
            funding_allocations,
            {
                "fund_id": e.originator_id,
                "tier_id": e.tier_id,
                "year": e.year,
                "amount": Decimal(e.amount),
            },
        )

    @handles(SupportTiers.TierDefined, SupportTiers.TierCorrected)
    def tier(
        self,
        conn: Connection,
        e: SupportTiers.TierDefined | SupportTiers.TierCorrected,
        position: int,
    ) -> None:
        self.rows.replace(funding_tiers, {"id": e.tier_id, "number": e.number, "name": e.name})

    def _commitment(
        self, e: Commitment.Made | Commitment.Corrected, experiment_id: UUID | None
    ) -> None:
        typed: list[dict[str, Any]] = [
            {
                "commitment_id": e.originator_id,
                "fund_id": UUID(part["fund_id"]),
                "amount": Decimal(part["amount"]),
            }
            for part in e.parts
        ]
        self.rows.replace_set(funding_commitment_parts, "commitment_id", e.originator_id, typed)
        values = {
            "tier_id": e.tier_id,
            "starts_on": e.starts_on,
            "months": e.months,
            "amount": sum((Decimal(part["amount"]) for part in e.parts), Decimal(0)),
            "version": e.originator_version,
            "updated_at": e.timestamp,
        }
        if experiment_id is None:
            self.rows.update(funding_commitments, e.originator_id, values)
        else:
            self.rows.insert(
                funding_commitments,
                {"id": e.originator_id, "experiment_id": experiment_id, **values},
            )

    @handles(Commitment.Made)
    def made(self, conn: Connection, e: Commitment.Made, position: int) -> None:
        self._commitment(e, e.experiment_id)

    @handles(Commitment.Corrected)
    def commitment_corrected(
        self, conn: Connection, e: Commitment.Corrected, position: int
    ) -> None:
        self._commitment(e, None)

    @handles(Commitment.SpendRecorded, Commitment.SpendCorrected)
    def spend(
        self,
        conn: Connection,
        e: Commitment.SpendRecorded | Commitment.SpendCorrected,
        position: int,
    ) -> None:
        self.rows.replace(
            funding_spend,
            {
                "id": e.spend_id,
                "commitment_id": e.originator_id,
                "spent_on": e.on,
                "amount": Decimal(e.amount),
            },
        )
