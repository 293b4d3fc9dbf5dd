"""Sends what the outbox holds: claim, compose from the log, send, record; retry with
back-off; give up after `MAX_ATTEMPTS` onto the dead-letter list the administrator sees.

Every email has a Message-ID made from its outbox row, the same on every attempt: if the
process dies after the server took a message and before it was marked sent, the retry
carries the same id, so the recipient's mail system can spot the repeat. Logs name the row
and the kind of failure, never an address or a name."""

from __future__ import annotations

import hashlib
import logging
import os
import smtplib
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import Engine

from cairn.domain.app import CairnApp
from cairn.domain.errors import DomainError
from cairn.jobs.mail.composer import Composer
from cairn.jobs.mail.render import email_message, gettext_for, language_of
from cairn.readmodels.mail.queue import (
    OutboxItem,
    claim,
    due_messages,
    mark_dropped,
    mark_failed,
    mark_sent,
)

log = logging.getLogger(__name__)

SEND_EVERY_SECONDS = 5.0
CLAIM_HOLD = timedelta(minutes=2)
MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)


class MailTransport(Protocol):
    """What the sender needs of a transport (SmtpTransport, or the local outbox)."""

    def send(self, message: EmailMessage, record_id: uuid.UUID) -> None: ...


def retry_after(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most six hours: after ten tries about a day and a half."""
    factor: int = 2 ** min(max(attempts - 1, 0), 20)
    return min(FIRST_RETRY * factor, LONGEST_WAIT)


def message_id(key: str, domain: str) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


class OutboxSender:
    def __init__(
        self,
        app: CairnApp,
        engine: Engine,
        transport: MailTransport,
        composer: Composer,
        *,
        domain: str = "cairn.invalid",
        sender: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.app = app
        self.engine = engine
        self.transport = transport
        self.composer = composer
        self.domain = domain
        self.sender = sender or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.clock = clock or app.clock

    def run_once(self) -> int:
        """Send what is due; return how many went out."""
        sent = 0
        for item in due_messages(self.engine, self.clock()):
            if not claim(self.engine, item.key, self.sender, self.clock(), CLAIM_HOLD):
                continue  # another sender has it
            sent += self._send(item)
        return sent

    def _send(self, item: OutboxItem) -> int:
        try:
            to = self.composer.recipient(item)
            if to is None:
                mark_dropped(
                    self.engine, item.key, self.sender, "no recipient (erased or disabled)"
                )
                return 0
            letter = self.composer.letter(item, to, gettext_for(language_of(to)))
            message = email_message(letter, to, message_id=message_id(item.key, self.domain))
        except (DomainError, ValueError) as error:
            # Nothing to send, or nowhere safe to send it: trying again will not help.
            mark_dropped(self.engine, item.key, self.sender, type(error).__name__)
            log.warning("mail %s (%s) dropped: %s", item.key, item.kind, type(error).__name__)
            return 0
        try:
            self.transport.send(message, item.record_id)
        except (OSError, smtplib.SMTPException) as error:
            attempts = item.attempts + 1
            retry_at = None if attempts >= MAX_ATTEMPTS else self.clock() + retry_after(attempts)
            mark_failed(self.engine, item.key, self.sender, _failure(error), retry_at)
            log.warning(
                "mail %s (%s) not sent, attempt %d: %s; %s",
                item.key,
                item.kind,
                attempts,
                _failure(error),
                "giving up" if retry_at is None else f"trying again at {retry_at:%H:%M}",
            )
            return 0
        mark_sent(self.engine, item.key, self.sender, self.clock())
        return 1


def _failure(error: BaseException) -> str:
    """The kind of failure, without the server's words (they can echo an address)."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__
