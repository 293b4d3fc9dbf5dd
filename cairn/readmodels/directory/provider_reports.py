"""Problems the public reported with listings: the CIC's queue of things to look into."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
)

from cairn.domain.directory.report import ProblemReport
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

provider_reports = Table(
    "provider_reports",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("provider_id", Uuid, nullable=False),
    Column("category", String(40), nullable=False),
    Column("details", Text, nullable=False),
    Column("reporter_email", String(320)),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    Column("resolved", Boolean, nullable=False, default=False),
    Column("resolved_by", Uuid),
    Column("resolved_at", DateTime(timezone=True)),
    Column("note", Text),
    Column("version", Integer, nullable=False),
    Index("ix_provider_reports_open", "resolved", "reported_at"),
    Index("ix_provider_reports_provider", "provider_id"),
)


class ProviderReportsProjection(BatchedProjection):
    name = "provider_reports"
    tables = (provider_reports,)

    @handles(ProblemReport.Reported)
    def reported(self, conn: Connection, e: ProblemReport.Reported, position: int) -> None:
        self.rows.insert(
            provider_reports,
            # Every column, so the reports of one batch share one executemany.
            dict(
                id=e.originator_id,
                provider_id=e.provider_id,
                category=e.category,
                details=e.details,
                reporter_email=e.reporter_email,
                reported_at=e.timestamp,
                resolved=False,
                resolved_by=None,
                resolved_at=None,
                note=None,
                version=e.originator_version,
            ),
        )

    @handles(ProblemReport.Resolved)
    def resolved(self, conn: Connection, e: ProblemReport.Resolved, position: int) -> None:
        self.rows.update(
            provider_reports,
            e.originator_id,
            dict(
                resolved=True,
                resolved_by=e.by,
                resolved_at=e.timestamp,
                note=e.note,
                version=e.originator_version,
            ),
        )
