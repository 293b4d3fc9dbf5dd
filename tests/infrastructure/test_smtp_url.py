"""CAIRN_SMTP_URL: STARTTLS unless turned off, credentials never sent in the clear to
another machine, and a malformed address refused in one line."""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage

import pytest

from cairn.infrastructure.mail import BadSmtpUrl, SmtpTransport, parse_smtp_url
from tests.support.mail import Inbox


def test_smtp_upgrades_with_starttls_by_default_on_the_submission_port() -> None:
    server = parse_smtp_url("smtp://cairn%40example.org:s%3Acret@mail.example.org")
    assert server.starttls and not server.tls_from_start
    assert server.port == 587
    assert (server.username, server.password) == ("cairn@example.org", "s:cret")


def test_smtps_speaks_tls_from_the_start() -> None:
    server = parse_smtp_url("smtps://mail.example.org")
    assert server.tls_from_start and not server.starttls and server.port == 465


def test_starttls_can_be_turned_off_for_a_relay_on_this_machine() -> None:
    server = parse_smtp_url("smtp://127.0.0.1:25?starttls=0")
    assert not server.starttls and server.port == 25
    # Even with a password, on loopback nothing crosses the network.
    assert parse_smtp_url("smtp://u:p@localhost:25?starttls=0").password == "p"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("smtp://mail.example.org:abc", "not a number"),
        ("http://mail.example.org", "must look like"),
        ("smtp://", "must look like"),
        ("smtp://mail.example.org?tls=1", "does not know (tls)"),
        ("smtp://mail.example.org?starttls=maybe", "starttls must be"),
        ("smtp://u:p@mail.example.org?starttls=0", "unencrypted"),
        ("smtp://mail.example.org/inbox", "path"),
    ],
)
def test_a_malformed_url_says_what_is_wrong(url: str, words: str) -> None:
    with pytest.raises(BadSmtpUrl, match=re.escape(words)):
        parse_smtp_url(url)


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["To"] = "someone@example.org"
    mail["Subject"] = "Hello"
    mail.set_content("Hello")
    return mail


def test_a_server_without_starttls_gets_nothing_unless_told(
    mail_server: Inbox, smtp_port: int
) -> None:
    with pytest.raises(smtplib.SMTPNotSupportedError):
        SmtpTransport(f"smtp://127.0.0.1:{smtp_port}", "Cairn <c@example.org>").send(message())
    assert mail_server.messages == []
    SmtpTransport(f"smtp://127.0.0.1:{smtp_port}?starttls=0", "Cairn <c@example.org>").send(
        message()
    )
    assert len(mail_server.messages) == 1
