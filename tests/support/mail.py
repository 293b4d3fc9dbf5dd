"""A real SMTP server on loopback for mail tests (aiosmtpd): `mail_server` collects what
Cairn sends, `smtp_port` is the free port it listens on."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def mail_server(smtp_port: int) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


def smtp_sender(runtime: Any, port: int, sender: str = "test-sender", clock: Any = None) -> Any:
    """The runtime's outbox sender, but through a real SMTP server on `port`."""
    from cairn.infrastructure.mail import SmtpTransport
    from cairn.jobs.mail.outbox_wiring import outbox_sender

    made = outbox_sender(
        runtime.app,
        runtime.read_engine,
        SmtpTransport(f"smtp://127.0.0.1:{port}?starttls=0", "Cairn <cairn@test.example>"),
        base_url="https://cairn.example",
        secret=runtime.settings.secret_key,
        mail_from="Cairn <cairn@test.example>",
    )
    made.sender = sender
    if clock is not None:
        made.clock = clock
    return made


def text_of(email: Any) -> str:
    """The plain-text part of a received email."""
    for part in email.walk():
        if part.get_content_type() == "text/plain":
            return str(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
    raise AssertionError("the email has no plain-text part")


def html_of(email: Any) -> str:
    for part in email.walk():
        if part.get_content_type() == "text/html":
            return str(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
    raise AssertionError("the email has no HTML part")


def links_in(text: str) -> list[str]:
    import re

    return re.findall(r"https://cairn\.example/\S+", text)
