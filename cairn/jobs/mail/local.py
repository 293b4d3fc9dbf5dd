"""The transport for development and `make run`: mail is kept in the read database and
shown to the administrator at /admin/mail/local, instead of leaving the machine."""

from __future__ import annotations

from email.message import EmailMessage
from uuid import UUID

from sqlalchemy import Engine

from cairn.domain.clock import Clock
from cairn.readmodels.mail.local_mail import keep_local


class LocalOutbox:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def send(self, message: EmailMessage, record_id: UUID) -> None:
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        keep_local(
            self.engine,
            record_id=record_id,
            message_id=str(message["Message-ID"]),
            to_address=str(message["To"]),
            subject=str(message["Subject"]),
            text=text.get_content() if text is not None else "",
            html=html.get_content() if html is not None else "",
            at=self.clock(),
        )
