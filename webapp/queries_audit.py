"""Read-model queries for the audit log and for sign-in lockout."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, and_, func, select

from domain.accounts.signins import LOCKOUT_THRESHOLD, LOCKOUT_WINDOW
from projections.accounts import accounts
from projections.audit import audit_log, sign_in_attempts
from webapp.queries import Page


def is_locked_out(engine: Engine, digest: str, now: datetime) -> bool:
    """Too many failures for this email since its last success, within the window."""
    since = now - LOCKOUT_WINDOW
    with engine.connect() as conn:
        last_success = conn.execute(
            select(func.max(sign_in_attempts.c.at)).where(
                sign_in_attempts.c.email_digest == digest, sign_in_attempts.c.succeeded
            )
        ).scalar_one()
        if last_success is not None and _comparable(last_success, now) > _comparable(since, now):
            since = last_success
        failures = conn.execute(
            select(func.count()).where(
                sign_in_attempts.c.email_digest == digest,
                sign_in_attempts.c.succeeded.is_(False),
                sign_in_attempts.c.at > since,
            )
        ).scalar_one()
    return int(failures) >= LOCKOUT_THRESHOLD


def _comparable(value: datetime, like: datetime) -> datetime:
    """SQLite hands back naive UTC datetimes; compare them with aware ones safely."""
    if value.tzinfo is None and like.tzinfo is not None:
        return value.replace(tzinfo=like.tzinfo)
    return value


@dataclass(frozen=True)
class AuditFilter:
    actor: UUID | None = None
    kind: str | None = None  # "Provider.Approved"
    start: date | None = None
    end: date | None = None

    def as_args(self) -> dict[str, str]:
        args = {
            "actor": str(self.actor) if self.actor else "",
            "kind": self.kind or "",
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
        }
        return {k: v for k, v in args.items() if v}


def audit_page(engine: Engine, chosen: AuditFilter, page: int, size: int = 50) -> Page:
    conditions = []
    if chosen.actor:
        conditions.append(audit_log.c.actor == chosen.actor)
    if chosen.kind and "." in chosen.kind:
        aggregate_type, event_name = chosen.kind.split(".", 1)
        conditions.append(
            and_(audit_log.c.aggregate_type == aggregate_type, audit_log.c.event_name == event_name)
        )
    if chosen.start:
        conditions.append(audit_log.c.at >= datetime.combine(chosen.start, time.min))
    if chosen.end:
        conditions.append(
            audit_log.c.at < datetime.combine(chosen.end + timedelta(days=1), time.min)
        )
    where = and_(True, *conditions)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(audit_log).where(where)).scalar_one()
        page = min(page, max(1, math.ceil(total / size)))
        rows = conn.execute(
            select(audit_log, accounts.c.display_name, accounts.c.email)
            .select_from(audit_log.outerjoin(accounts, accounts.c.id == audit_log.c.actor))
            .where(where)
            .order_by(audit_log.c.position.desc())
            .limit(size)
            .offset((page - 1) * size)
        ).all()
    return Page(items=list(rows), number=page, size=size, total=total)


def audit_kinds(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.aggregate_type, audit_log.c.event_name)
            .distinct()
            .order_by(audit_log.c.aggregate_type, audit_log.c.event_name)
        ).all()
    return [f"{r.aggregate_type}.{r.event_name}" for r in rows]


def audit_actors(engine: Engine) -> list[Any]:
    """Accounts that appear as actors, for the filter."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(accounts.c.id, accounts.c.display_name, accounts.c.email)
                .where(accounts.c.id.in_(select(audit_log.c.actor).distinct()))
                .order_by(accounts.c.display_name)
            ).all()
        )
