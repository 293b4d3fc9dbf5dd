"""Sending email over SMTP: the transport only. What to send, and when, is a job's business."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit


class SmtpTransport:
    """Sends through the server an `smtp://` or `smtps://` URL names.

    `smtp://user:password@host:port?starttls=1` upgrades the connection before signing in;
    `smtps://` speaks TLS from the start (port 465 unless given)."""

    def __init__(self, url: str, mail_from: str) -> None:
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

    def send(self, message: EmailMessage, record_id: object = None) -> None:
        """Hand the message to the server; raises OSError or smtplib.SMTPException if it fails.

        (`record_id`, whose message it is, matters only to the local outbox.)"""
        if "From" not in message:
            message["From"] = self.mail_from
        smtp: smtplib.SMTP = (
            smtplib.SMTP_SSL(self.host, self.port, timeout=20, context=ssl.create_default_context())
            if self.ssl
            else smtplib.SMTP(self.host, self.port, timeout=20)
        )
        with smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username and self.password:
                smtp.login(self.username, self.password)
            smtp.send_message(message)
