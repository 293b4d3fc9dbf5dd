"""Searches that found nobody, one row per district and service, for the CIC's evidence."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Connection, Date, Index, Integer, String, Table, Uuid

from cairn.domain.enquiries.demand import UnmetDemandSignal
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

# A signal with several services gives one row per service; "" means "any service".
unmet_demand = Table(
    "unmet_demand",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("signal_id", Uuid, nullable=False),
    Column("district", String(5), nullable=False),
    Column("service", String(60), nullable=False),
    Column("days", JSON, nullable=False),  # lists of the searched days and times
    Column("times", JSON, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("month", String(7), nullable=False),  # "2026-11", for counting over time
    Index("ix_unmet_demand_district_service", "district", "service"),
    Index("ix_unmet_demand_recorded", "recorded_on"),
)


class UnmetDemandProjection(BatchedProjection):
    name = "unmet-demand"
    tables = (unmet_demand,)

    @handles(UnmetDemandSignal.Recorded)
    def recorded(self, conn: Connection, e: UnmetDemandSignal.Recorded, position: int) -> None:
        # Appended in log order, so the ids the database gives them follow the log as before.
        for service in e.services or ("",):
            self.rows.append(
                unmet_demand,
                {
                    "signal_id": e.originator_id,
                    "district": e.district,
                    "service": service,
                    "days": list(e.days),
                    "times": list(e.times),
                    "recorded_on": e.timestamp.date(),
                    "month": e.timestamp.strftime("%Y-%m"),
                },
            )
