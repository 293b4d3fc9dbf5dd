"""Searches that found nobody, one row per district and service, for the CIC's evidence.

The table and the projection's name changed when the words and the hour were first kept
(`unmet_demand_searches`, "unmet-demand-searches"): a new name starts at the beginning of the
log, so an existing database fills the new table from every signal, old ones included, with no
migration. The old `unmet_demand` table is left alone and no longer read."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Uuid,
)

from cairn.domain.enquiries.demand import UnmetDemandSignal
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

# A signal gives one row per service it asked for, ticked or meant by its words; "" means
# "any service".
unmet_demand = Table(
    "unmet_demand_searches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("signal_id", Uuid, nullable=False),
    Column("district", String(5), nullable=False),
    Column("service", String(60), nullable=False),
    Column("from_words", Boolean, nullable=False),  # meant by the words, not ticked
    Column("days", JSON, nullable=False),  # lists of the searched days and times
    Column("times", JSON, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),  # to the hour
    Column("recorded_on", Date, nullable=False),
    Column("month", String(7), nullable=False),  # "2026-11", for counting over time
    Index("ix_unmet_demand_searches_district_service", "district", "service"),
    Index("ix_unmet_demand_searches_recorded", "recorded_on"),
)


class UnmetDemandProjection(BatchedProjection):
    name = "unmet-demand-searches"
    tables = (unmet_demand,)

    @handles(UnmetDemandSignal.Recorded)
    def recorded(self, conn: Connection, e: UnmetDemandSignal.Recorded, position: int) -> None:
        ticked = list(e.services)
        meant = [s for s in e.word_services if s not in ticked]
        wanted = [(s, False) for s in ticked] + [(s, True) for s in meant]
        # Appended in log order, so the ids the database gives them follow the log as before.
        for service, from_words in wanted or [("", False)]:
            self.rows.append(
                unmet_demand,
                {
                    "signal_id": e.originator_id,
                    "district": e.district,
                    "service": service,
                    "from_words": from_words,
                    "days": list(e.days),
                    "times": list(e.times),
                    "recorded_at": e.timestamp.replace(minute=0, second=0, microsecond=0),
                    "recorded_on": e.timestamp.date(),
                    "month": e.timestamp.strftime("%Y-%m"),
                },
            )
