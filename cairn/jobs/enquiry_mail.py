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
import threading
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine

from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError
from cairn.readmodels.enquiries.queries import PendingNotification, pending_notifications

log = logging.getLogger(__name__)

# Enquiries older than this when the sender first sees them are not emailed about (say, after
# turning email on for the first time); they are in the inbox all the same.
NOTIFY_WITHIN = timedelta(days=7)


class SmtpSettings:
    def __init__(self, url: str, mail_from: str, base_url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("CAIRN_SMTP_URL must look like smtp://host:port")
        self.ssl = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.ssl else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.starttls = "starttls=1" in (parts.query or "")
        self.mail_from = mail_from
        self.base_url = base_url.rstrip("/")

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        url = os.environ.get("CAIRN_SMTP_URL", "").strip()
        if not url:
            return None
        return cls(
            url,
            os.environ.get("CAIRN_MAIL_FROM", "Cairn <no-reply@cairn.invalid>"),
            os.environ.get("CAIRN_BASE_URL", "http://127.0.0.1:5000"),
        )


def notification_email(item: PendingNotification, settings: SmtpSettings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = item.email
    message["Subject"] = "You have a new enquiry on Cairn"
    # The same id on every attempt, so a repeat after a crash can be spotted.
    message["Message-ID"] = f"<enquiry-{item.enquiry_id}@cairn>"
    message.set_content(
        f"Hello {item.provider_name},\n\n"
        "Someone has sent you an enquiry through Cairn.\n"
        f"Sign in to read it and reply: {settings.base_url}/provider/inbox\n\n"
        "For their privacy, we do not put the message in this email.\n"
    )
    return message


class EnquiryNotifier:
    def __init__(
        self,
        app: CairnApp,
        engine: Engine,
        settings: SmtpSettings,
        *,
        poll_interval: float = 5.0,
        sender: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.engine = engine
        self.settings = settings
        self.poll_interval = poll_interval
        self.sender = sender or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.monotonic = monotonic
        self._retry_at: dict[uuid.UUID, tuple[float, int]] = {}  # id -> (when, failures)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

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
                self._send(notification_email(item, self.settings))
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

    def _send(self, message: EmailMessage) -> None:
        s = self.settings
        smtp_class = smtplib.SMTP_SSL if s.ssl else smtplib.SMTP
        with smtp_class(s.host, s.port, timeout=20) as smtp:
            if s.starttls:
                smtp.starttls()
            if s.username and s.password:
                smtp.login(s.username, s.password)
            smtp.send_message(message)

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="enquiry-mail", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread:
            self._thread.join(5)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.run_once()
            except Exception:  # the database went away; try again next time
                log.exception("enquiry notifier failed; will retry")
            self._stopping.wait(self.poll_interval)
