"""Sending email over SMTP: the transport only. What to send, and when, is a job's business."""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

SMTP_URL_SHAPE = "smtp://[user:password@]host[:port][?starttls=0] or smtps://[user:password@]host"


class BadSmtpUrl(ValueError):
    """CAIRN_SMTP_URL cannot be used; the message says why and what it should look like."""


@dataclass(frozen=True)
class SmtpServer:
    """Where mail goes and how the connection is protected.

    `smtp://` upgrades the connection with STARTTLS before anything else is said (port 587
    unless given); `?starttls=0` turns that off, for a relay on this machine only. `smtps://`
    speaks TLS from the start (port 465 unless given). Certificates are always verified."""

    host: str
    port: int
    tls_from_start: bool
    starttls: bool
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def parse_smtp_url(url: str) -> SmtpServer:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise BadSmtpUrl(
            f"CAIRN_SMTP_URL has a port that is not a number: {SMTP_URL_SHAPE}"
        ) from None
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise BadSmtpUrl(f"CAIRN_SMTP_URL must look like {SMTP_URL_SHAPE}")
    if parts.path not in ("", "/") or parts.fragment:
        raise BadSmtpUrl(f"CAIRN_SMTP_URL has a path, which SMTP has no use for: {SMTP_URL_SHAPE}")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"starttls"}
    if unknown:
        raise BadSmtpUrl(
            f"CAIRN_SMTP_URL has an option Cairn does not know ({', '.join(sorted(unknown))}): "
            f"{SMTP_URL_SHAPE}"
        )
    starttls_value = query.get("starttls", ["1"])[-1].strip().lower()
    if starttls_value not in ("0", "1", "off", "on", "false", "true", "no", "yes"):
        raise BadSmtpUrl("CAIRN_SMTP_URL's starttls must be 1 (the default) or 0")
    tls_from_start = parts.scheme == "smtps"
    starttls = not tls_from_start and starttls_value in ("1", "on", "true", "yes")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    if password and not (tls_from_start or starttls) and not _loopback(parts.hostname):
        raise BadSmtpUrl(
            "CAIRN_SMTP_URL would send its password unencrypted to another machine: "
            "drop ?starttls=0 (or use smtps://)"
        )
    return SmtpServer(
        host=parts.hostname,
        port=port or (465 if tls_from_start else 587),
        tls_from_start=tls_from_start,
        starttls=starttls,
        username=username,
        password=password,
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SmtpTransport:
    """Sends through the server an `smtp://` or `smtps://` URL names (see SmtpServer)."""

    def __init__(self, url: str, mail_from: str) -> None:
        self.server = parse_smtp_url(url)
        self.mail_from = mail_from

    def send(self, message: EmailMessage, record_id: object = None) -> None:
        """Hand the message to the server; raises OSError or smtplib.SMTPException if it fails
        (a server that offers no STARTTLS among them: mail is never sent in the clear by
        surprise).

        (`record_id`, whose message it is, matters only to the local outbox.)"""
        if "From" not in message:
            message["From"] = self.mail_from
        server = self.server
        smtp: smtplib.SMTP = (
            smtplib.SMTP_SSL(
                server.host, server.port, timeout=20, context=ssl.create_default_context()
            )
            if server.tls_from_start
            else smtplib.SMTP(server.host, server.port, timeout=20)
        )
        with smtp:
            if server.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if server.username and server.password:
                smtp.login(server.username, server.password)
            smtp.send_message(message)
