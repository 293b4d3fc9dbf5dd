"""The mail outbox: one row for every email an event calls for, written in the batch's
transaction (so exactly once), then sent by cairn/jobs/mail/sender.py.

A row holds no personal data, only which event asked for which message: the sender reads
the event (and the person's address) from the log when it sends, so an erasure leaves the
row unable to find anyone, and this projection marks such rows dropped.

This table is not a disposable read model: a rebuild or an erasure's replay must not send
again what went long ago. So it is not among the projection's `tables` (nothing empties it),
rows are keyed by their event and inserted only if new, and events older than
`ENQUEUE_WITHIN` when first seen are not emailed about (a restore, a rebuild from scratch)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Uuid,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from cairn.domain.accounts.account import Account
from cairn.domain.accounts.email_change import EmailChange
from cairn.domain.accounts.email_check import EmailCheck
from cairn.domain.accounts.erasure import Erasure, erased_records
from cairn.domain.accounts.reset import PasswordReset
from cairn.domain.accounts.roles import Role
from cairn.domain.directory import provider_events as ev
from cairn.domain.directory.checks import IMPORT_ACTOR
from cairn.domain.directory.claim import ListingClaim
from cairn.domain.directory.confirmations import ConfirmationRequest
from cairn.domain.directory.digest import WeeklyDigest
from cairn.domain.directory.invitation import Invitation
from cairn.domain.directory.provider import Provider
from cairn.domain.directory.reminders import RenewalReminder
from cairn.domain.enquiries.enquiry import Enquiry
from cairn.domain.learning.conversation import Comment, ReviewNotice
from cairn.readmodels.accounts.accounts import accounts, disabled_accounts
from cairn.readmodels.base import Projection, handles
from cairn.readmodels.database import metadata
from cairn.readmodels.mail.kinds import Kind
from cairn.readmodels.mail.local_mail import local_mail

ENQUEUE_WITHIN = timedelta(days=7)

PENDING, SENT, DEAD, DROPPED = "pending", "sent", "dead", "dropped"

outbox = Table(
    "mail_outbox",
    metadata,
    Column("key", String(200), primary_key=True),  # kind/event originator/event version
    Column("kind", String(40), nullable=False),
    Column("record_id", Uuid, nullable=False),  # whose it is: an erasure of it drops the row
    Column("event_id", Uuid, nullable=False),
    Column("event_version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("state", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("claimed_by", String(100)),
    Column("claimed_until", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("last_error", String(300)),  # the kind of failure, never an address
    Index("ix_mail_outbox_due", "state", "next_attempt_at"),
    Index("ix_mail_outbox_record", "record_id"),
)


def outbox_key(kind: Kind, event_id: UUID, version: int, to: UUID | None = None) -> str:
    """One email per event and kind; `to` when one event writes to several people."""
    key = f"{kind.value}/{event_id}/{version}"
    return f"{key}/{to}" if to is not None else key


class MailOutboxProjection(Projection):
    name = "mail-outbox"
    tables = ()  # never emptied by a rebuild or an erasure (see the module docstring)

    def __init__(self, app: Any) -> None:
        self.app = app  # its clock says which events are too old to email about

    @property
    def clock(self) -> Callable[[], datetime]:
        clock: Callable[[], datetime] = self.app.clock
        return clock

    def _enqueue(
        self, conn: Connection, kind: Kind, e: Any, record_id: UUID, *, to_many: bool = False
    ) -> None:
        if e.timestamp < self.clock() - ENQUEUE_WITHIN:
            return
        to = record_id if to_many else None
        values = dict(
            key=outbox_key(kind, e.originator_id, e.originator_version, to),
            kind=kind.value,
            record_id=record_id,
            event_id=e.originator_id,
            event_version=e.originator_version,
            created_at=e.timestamp,
            state=PENDING,
            attempts=0,
            next_attempt_at=e.timestamp,
        )
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        conn.execute(insert(outbox).values(**values).on_conflict_do_nothing(index_elements=["key"]))

    # -- the directory ------------------------------------------------------------------------

    @handles(Provider.Applied)
    def applied(self, conn: Connection, e: ev.Applied, position: int) -> None:
        if e.account_id is not None:  # applied through Cairn, not imported from a spreadsheet
            self._enqueue(conn, Kind.APPLICATION_RECEIVED, e, e.originator_id)

    @handles(Provider.InformationRequested)
    def info(self, conn: Connection, e: ev.InformationRequested, position: int) -> None:
        self._enqueue(conn, Kind.INFORMATION_REQUESTED, e, e.originator_id)

    @handles(Provider.Approved)
    def approved(self, conn: Connection, e: ev.Approved, position: int) -> None:
        if e.by != IMPORT_ACTOR:
            self._enqueue(conn, Kind.APPROVED, e, e.originator_id)

    @handles(Provider.Declined)
    def declined(self, conn: Connection, e: ev.Declined, position: int) -> None:
        self._enqueue(conn, Kind.DECLINED, e, e.originator_id)

    @handles(Provider.Suspended)
    def suspended(self, conn: Connection, e: ev.Suspended, position: int) -> None:
        self._enqueue(conn, Kind.SUSPENDED, e, e.originator_id)

    @handles(Provider.Reinstated)
    def reinstated(self, conn: Connection, e: ev.Reinstated, position: int) -> None:
        self._enqueue(conn, Kind.REINSTATED, e, e.originator_id)

    @handles(ListingClaim.Made)
    def claimed(self, conn: Connection, e: ListingClaim.Made, position: int) -> None:
        self._enqueue(conn, Kind.CLAIM_RECEIVED, e, e.originator_id)

    @handles(ListingClaim.Declined)
    def claim_declined(self, conn: Connection, e: ListingClaim.Declined, position: int) -> None:
        self._enqueue(conn, Kind.CLAIM_DECLINED, e, e.originator_id)

    @handles(Invitation.Sent)
    def invited(self, conn: Connection, e: Invitation.Sent, position: int) -> None:
        self._enqueue(conn, Kind.INVITATION, e, e.provider_id)

    @handles(ConfirmationRequest.Sent)
    def confirmation(self, conn: Connection, e: ConfirmationRequest.Sent, position: int) -> None:
        self._enqueue(conn, Kind.CONFIRMATION_REQUEST, e, e.provider_id)

    @handles(WeeklyDigest.Made)
    def digest(self, conn: Connection, e: WeeklyDigest.Made, position: int) -> None:
        """To every CIC administrator whose account is enabled (as the accounts read model
        has them, just before this event: it comes earlier in the catalogue)."""
        admins = conn.execute(
            select(accounts.c.id, accounts.c.roles).where(
                accounts.c.id.not_in(select(disabled_accounts.c.account_id))
            )
        ).all()
        for admin in admins:
            if Role.CIC_ADMIN.value in (admin.roles or ()):
                self._enqueue(conn, Kind.WEEKLY_DIGEST, e, admin.id, to_many=True)

    @handles(RenewalReminder.Due)
    def reminder(self, conn: Connection, e: RenewalReminder.Due, position: int) -> None:
        self._enqueue(conn, Kind.RENEWAL_REMINDER, e, e.provider_id)

    # -- learning ------------------------------------------------------------------------------

    def _to_members(self, conn: Connection, kind: Kind, e: Any) -> None:
        """One row per member the event names (the team then). Whether each still wants
        learning notices is asked when it is sent (cairn/jobs/mail/composer.py), since this
        projection may read nothing other projections write in the same batch."""
        for account_id in e.members:
            self._enqueue(conn, kind, e, account_id, to_many=True)

    @handles(Comment.Written)
    def commented(self, conn: Connection, e: Comment.Written, position: int) -> None:
        self._to_members(conn, Kind.LEARNING_COMMENT, e)

    @handles(ReviewNotice.Sent)
    def review_due(self, conn: Connection, e: ReviewNotice.Sent, position: int) -> None:
        self._to_members(conn, Kind.REVIEW_DUE, e)

    # -- accounts and enquiries ---------------------------------------------------------------

    @handles(EmailCheck.Sent)
    def email_check(self, conn: Connection, e: EmailCheck.Sent, position: int) -> None:
        self._enqueue(conn, Kind.EMAIL_CHECK, e, e.account_id)

    @handles(EmailChange.Requested)
    def email_change(self, conn: Connection, e: EmailChange.Requested, position: int) -> None:
        self._enqueue(conn, Kind.EMAIL_CHANGE_LINK, e, e.account_id)
        self._enqueue(conn, Kind.EMAIL_CHANGE_NOTICE, e, e.account_id)

    @handles(Account.EmailChanged)
    def email_changed(self, conn: Connection, e: Account.EmailChanged, position: int) -> None:
        self._enqueue(conn, Kind.EMAIL_CHANGED, e, e.originator_id)

    @handles(PasswordReset.Requested)
    def reset(self, conn: Connection, e: PasswordReset.Requested, position: int) -> None:
        self._enqueue(conn, Kind.PASSWORD_RESET, e, e.account_id)

    @handles(Enquiry.Received)
    def enquiry(self, conn: Connection, e: Enquiry.Received, position: int) -> None:
        self._enqueue(conn, Kind.ENQUIRY_RECEIVED, e, e.provider_id)
        if e.reply_email:
            self._enqueue(conn, Kind.ENQUIRY_COPY, e, e.originator_id)

    @handles(Enquiry.Replied)
    def replied(self, conn: Connection, e: Enquiry.Replied, position: int) -> None:
        self._enqueue(conn, Kind.ENQUIRY_REPLY, e, e.originator_id)

    @handles(Enquiry.Declined)
    def declined_enquiry(self, conn: Connection, e: Enquiry.Declined, position: int) -> None:
        if e.notify:
            self._enqueue(conn, Kind.ENQUIRY_DECLINED, e, e.originator_id)

    @handles(Enquiry.NotificationSent)
    def told_before(self, conn: Connection, e: Enquiry.NotificationSent, position: int) -> None:
        """Told by the notifier this outbox replaced: not again."""
        key = outbox_key(Kind.ENQUIRY_RECEIVED, e.originator_id, 1)
        conn.execute(
            update(outbox)
            .where(outbox.c.key == key, outbox.c.state == PENDING)
            .values(state=SENT, sent_at=e.timestamp)
        )

    @handles(Erasure.Recorded)
    def erased(self, conn: Connection, e: Erasure.Recorded, position: int) -> None:
        """Nothing more goes to an erased person (their address reads back erased anyway)."""
        records = list(erased_records(e))
        if not records:
            return
        conn.execute(
            update(outbox)
            .where(outbox.c.record_id.in_(records), outbox.c.state.in_((PENDING, DEAD)))
            .values(state=DROPPED, last_error="erased")
        )
        conn.execute(local_mail.delete().where(local_mail.c.record_id.in_(records)))
