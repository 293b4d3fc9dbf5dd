"""Enquiries as a provider's inbox and the notification outbox need them.

The outbox is simply the enquiries whose provider has not yet been told: derived from events
like every read model, so a rebuild never loses a pending notification."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Index,
    String,
    Table,
    Text,
    Uuid,
)

from cairn.domain.enquiries.enquiry import Enquiry
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

enquiries = Table(
    "enquiries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("provider_id", Uuid, nullable=False),
    Column("name", String(200), nullable=False),
    Column("contact", String(200), nullable=False),
    Column("message", Text, nullable=False),
    Column("message_language", String(2), nullable=False),  # pages mark the message with it
    Column("consent", Boolean, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("answered_at", DateTime(timezone=True)),
    Column("notified_at", DateTime(timezone=True)),
    Column("claimed_until", DateTime(timezone=True)),
    Column("claimed_by", String(100)),
    Column("read_at", DateTime(timezone=True)),  # first opened by the provider
    Column("can_reply", Boolean, nullable=False),  # gave an email for replies (not the email)
    Column("declined_at", DateTime(timezone=True)),
    # What the provider said back, oldest first: [{"at": ISO time, "kind": "reply"|"decline",
    # "text": ...}]. In the row, so a purge or an erasure takes it with the enquiry.
    Column("replies", JSON, nullable=False),
    Index("ix_enquiries_provider_received", "provider_id", "received_at"),
    Index("ix_enquiries_pending_notification", "notified_at", "received_at"),
)


class EnquiriesProjection(BatchedProjection):
    name = "enquiries"
    tables = (enquiries,)

    @handles(Enquiry.Received)
    def received(self, conn: Connection, e: Enquiry.Received, position: int) -> None:
        self.rows.insert(
            enquiries,
            # Every column, so the enquiries received in one batch share one executemany.
            dict(
                id=e.originator_id,
                provider_id=e.provider_id,
                name=e.name,
                contact=e.contact,
                message=e.message,
                message_language=e.message_written_in,
                consent=e.consent,
                received_at=e.timestamp,
                answered_at=None,
                notified_at=None,
                claimed_until=None,
                claimed_by=None,
                read_at=None,
                can_reply=bool(e.reply_email),
                declined_at=None,
                replies=[],
            ),
        )

    @handles(Enquiry.Answered)
    def answered(self, conn: Connection, e: Enquiry.Answered, position: int) -> None:
        self._set(e, answered_at=e.timestamp)

    @handles(Enquiry.NotificationClaimed)
    def claimed(self, conn: Connection, e: Enquiry.NotificationClaimed, position: int) -> None:
        self._set(e, claimed_until=e.until, claimed_by=e.sender)

    @handles(Enquiry.NotificationSent)
    def sent(self, conn: Connection, e: Enquiry.NotificationSent, position: int) -> None:
        self._set(e, notified_at=e.timestamp)

    @handles(Enquiry.Read)
    def read(self, conn: Connection, e: Enquiry.Read, position: int) -> None:
        self._set(e, read_at=e.timestamp)

    @handles(Enquiry.Replied)
    def replied(self, conn: Connection, e: Enquiry.Replied, position: int) -> None:
        self._said(conn, e, "reply")

    @handles(Enquiry.Declined)
    def declined(self, conn: Connection, e: Enquiry.Declined, position: int) -> None:
        self._said(conn, e, "decline", declined_at=e.timestamp)

    def _said(self, conn: Connection, e: Any, kind: str, **values: Any) -> None:
        row = self.rows.get(conn, enquiries, e.originator_id)
        if row is None:
            return
        said = {"at": e.timestamp.isoformat(), "kind": kind, "text": e.text}
        answered = row["answered_at"] or e.timestamp  # a reply answers it
        self._set(e, replies=[*row["replies"], said], answered_at=answered, **values)

    @handles(Enquiry.Purged)
    def purged(self, conn: Connection, e: Enquiry.Purged, position: int) -> None:
        self.rows.delete(enquiries, e.originator_id)

    def _set(self, e: Enquiry.Event, **values: Any) -> None:
        self.rows.update(enquiries, e.originator_id, values)
