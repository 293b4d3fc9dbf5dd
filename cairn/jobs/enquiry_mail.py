"""Emails a provider when an enquiry arrives: a link only, never the enquiry's words.

A background step: it reads the outbox (enquiries not yet notified), claims each one with an
event before sending (so two senders never both send), sends, then records NotificationSent.
A failed send is retried with back-off. If the process dies between the SMTP server accepting
the email and the event being saved, the retry reuses the same Message-ID, so the provider's
mail system can recognise the repeat."""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import Engine

from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError
from cairn.readmodels.enquiries.queries import PendingNotification, pending_notifications

log = logging.getLogger(__name__)

# Enquiries older than this when the sender first sees them are not emailed about (say, after
# turning email on for the first time); they are in the inbox all the same.
NOTIFY_WITHIN = timedelta(days=7)


def notification_email(item: PendingNotification, base_url: str) -> EmailMessage:
    """The email about one enquiry (From is the transport's)."""
    message = EmailMessage()
    message["To"] = item.email
    message["Subject"] = "You have a new enquiry on Cairn"
    # The same id on every attempt, so a repeat after a crash can be spotted.
    message["Message-ID"] = f"<enquiry-{item.enquiry_id}@cairn>"
    message.set_content(
        f"Hello {item.provider_name},\n\n"
        "Someone has sent you an enquiry through Cairn.\n"
        f"Sign in to read it and reply: {base_url.rstrip('/')}/provider/inbox\n\n"
        "For their privacy, we do not put the message in this email.\n"
    )
    return message


class MailTransport(Protocol):
    """What the notifier needs of a mail transport (cairn.infrastructure.mail.SmtpTransport)."""

    def send(self, message: EmailMessage) -> None: ...


class EnquiryNotifier:
    """Run `run_once` now and then (the jobs loop does, every few seconds)."""

    def __init__(
        self,
        app: CairnApp,
        engine: Engine,
        transport: MailTransport,
        base_url: str,
        *,
        sender: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.engine = engine
        self.transport = transport
        self.base_url = base_url
        self.sender = sender or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.monotonic = monotonic
        self._retry_at: dict[uuid.UUID, tuple[float, int]] = {}  # id -> (when, failures)

    def run_once(self) -> int:
        """Send what is due; return how many emails went out."""
        now = self.app.clock()
        sent = 0
        due = pending_notifications(self.engine, now, now - NOTIFY_WITHIN, self.sender)
        for item in due:
            retry = self._retry_at.get(item.enquiry_id)
            if retry and retry[0] > self.monotonic():
                continue
            try:
                self.app.enquiries.claim_notification(item.enquiry_id, sender=self.sender)
            except DomainError:
                continue  # already told, or another sender holds it
            try:
                self.transport.send(notification_email(item, self.base_url))
            except (OSError, smtplib.SMTPException) as error:
                failures = (retry[1] if retry else 0) + 1
                wait = min(2**failures, 600)
                self._retry_at[item.enquiry_id] = (self.monotonic() + wait, failures)
                log.warning(
                    "could not email about enquiry %s (%s); retrying in %ss",
                    item.enquiry_id,
                    error,
                    wait,
                )
                continue
            self.app.enquiries.record_notification_sent(item.enquiry_id, to=item.email)
            self._retry_at.pop(item.enquiry_id, None)
            sent += 1
        return sent
