"""Puts the mail sender together: the transport (SMTP, or the local outbox), the links
with their tokens, and the composer."""

from __future__ import annotations

from email.utils import parseaddr
from uuid import UUID

from sqlalchemy import Engine

from cairn.domain.app import CairnApp
from cairn.infrastructure.link_tokens import make_link_token
from cairn.infrastructure.mail import SmtpTransport
from cairn.jobs.mail.composer import Composer
from cairn.jobs.mail.letters import Links
from cairn.jobs.mail.local import LocalOutbox
from cairn.jobs.mail.sender import MailTransport, OutboxSender

# Where each emailed link opens, by its purpose (the web layer reads the same tokens).
TOKEN_PATHS = {
    "password-reset": "/account/new-password/",
    "invitation": "/invitation/",
    "confirm-listing": "/listing-check/",
    "confirm-email": "/account/confirm-email/",
    "change-email": "/account/change-email/",
}


def token_links(base_url: str, secret: str) -> Links:
    def token_link(purpose: str, record_id: UUID) -> str:
        path = TOKEN_PATHS[purpose] + make_link_token(secret, purpose, record_id)
        return base_url.rstrip("/") + path

    return Links(base_url=base_url, token_link=token_link)


def outbox_sender(
    app: CairnApp,
    engine: Engine,
    smtp: SmtpTransport | None,
    *,
    base_url: str,
    secret: str,
    mail_from: str,
) -> OutboxSender:
    transport: MailTransport = smtp if smtp is not None else LocalOutbox(engine, app.clock)
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "cairn.invalid"
    return OutboxSender(
        app, engine, transport, Composer(app, token_links(base_url, secret)), domain=domain
    )
