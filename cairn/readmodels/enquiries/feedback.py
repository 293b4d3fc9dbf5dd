"""Feedback about the service, as the CIC's administrators read it: newest first."""

from __future__ import annotations

from sqlalchemy import Column, Connection, DateTime, Index, String, Table, Text, Uuid

from cairn.domain.enquiries.feedback import Feedback
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

feedback = Table(
    "feedback",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("verdict", String(20), nullable=False),
    Column("page", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("dealt_with_at", DateTime(timezone=True)),
    Column("dealt_with_by", Uuid),
    Index("ix_feedback_open_received", "dealt_with_at", "received_at"),
)


class FeedbackProjection(BatchedProjection):
    name = "feedback"
    tables = (feedback,)

    @handles(Feedback.Received)
    def received(self, conn: Connection, e: Feedback.Received, position: int) -> None:
        self.rows.insert(
            feedback,
            dict(
                id=e.originator_id,
                verdict=e.verdict,
                page=e.page,
                text=e.text,
                received_at=e.timestamp,
                dealt_with_at=None,
                dealt_with_by=None,
            ),
        )

    @handles(Feedback.DealtWith)
    def dealt_with(self, conn: Connection, e: Feedback.DealtWith, position: int) -> None:
        self.rows.update(
            feedback, e.originator_id, {"dealt_with_at": e.timestamp, "dealt_with_by": e.by}
        )

    @handles(Feedback.Deleted)
    def deleted(self, conn: Connection, e: Feedback.Deleted, position: int) -> None:
        self.rows.delete(feedback, e.originator_id)
