"""Mail that stays on this machine: where `make run` and development deliver instead of SMTP,
so every journey that sends an email works with nothing else installed. The administrator
reads it at /admin/mail/local. An erasure deletes a person's messages here (the outbox
projection does it); on a real deployment, set CAIRN_SMTP_URL and nothing is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    func,
    insert,
    select,
)

from cairn.readmodels.database import metadata

local_mail = Table(
    "mail_local",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", Uuid, nullable=False),
    Column("message_id", String(300), nullable=False),
    Column("to_address", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("text", Text, nullable=False),
    Column("html", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_mail_local_created", "created_at"),
)


@dataclass(frozen=True)
class LocalMessage:
    id: int
    message_id: str
    to_address: str
    subject: str
    text: str
    html: str
    created_at: datetime


def keep_local(
    engine: Engine,
    *,
    record_id: UUID,
    message_id: str,
    to_address: str,
    subject: str,
    text: str,
    html: str,
    at: datetime,
) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(local_mail).values(
                record_id=record_id,
                message_id=message_id,
                to_address=to_address,
                subject=subject,
                text=text,
                html=html,
                created_at=at,
            )
        )


def local_messages(engine: Engine, limit: int = 100) -> list[LocalMessage]:
    """The newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(local_mail).order_by(local_mail.c.id.desc()).limit(limit)).all()
    return [
        LocalMessage(r.id, r.message_id, r.to_address, r.subject, r.text, r.html, r.created_at)
        for r in rows
    ]


def local_message(engine: Engine, message_id: int) -> LocalMessage | None:
    with engine.connect() as conn:
        r = conn.execute(select(local_mail).where(local_mail.c.id == message_id)).first()
    if r is None:
        return None
    return LocalMessage(r.id, r.message_id, r.to_address, r.subject, r.text, r.html, r.created_at)


def local_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(local_mail)).scalar_one())
