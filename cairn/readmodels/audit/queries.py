"""Read-model queries for the audit log and for sign-in lockout."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, and_, func, select

from cairn.readmodels.accounts.accounts import accounts
from cairn.readmodels.audit.audit import audit_draft_owners, audit_log, sign_in_attempts
from cairn.readmodels.directory.providers import providers
from cairn.readmodels.paging import RowPage as Page


def recent_failed_sign_ins(engine: Engine, since: datetime) -> list[Any]:
    """Accounts with failed sign-ins since `since`: how many, and the latest, newest first."""
    attempts = sign_in_attempts
    latest = func.max(attempts.c.at).label("latest")
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(
                    attempts.c.account_id,
                    accounts.c.display_name,
                    accounts.c.email,
                    func.count().label("failures"),
                    latest,
                )
                .select_from(attempts.join(accounts, accounts.c.id == attempts.c.account_id))
                .where(attempts.c.succeeded.is_(False), attempts.c.at >= since)
                .group_by(attempts.c.account_id, accounts.c.display_name, accounts.c.email)
                .order_by(latest.desc())
                .limit(200)
            ).all()
        )


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


def history_of(engine: Engine, aggregate_id: UUID) -> list[Any]:
    """One record's events, oldest first, with who did each (for a record's own page)."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(audit_log, accounts.c.display_name)
                .outerjoin(accounts, accounts.c.id == audit_log.c.actor)
                .where(audit_log.c.aggregate_id == aggregate_id)
                .order_by(audit_log.c.position)
            )
        )


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
    # The record by its name where it has one: a provider's business, an account's person, the
    # applicant whose draft it is.
    record_account = accounts.alias("record_account")
    draft_owner = accounts.alias("draft_owner")
    joined = (
        audit_log.outerjoin(accounts, accounts.c.id == audit_log.c.actor)
        .outerjoin(providers, providers.c.id == audit_log.c.aggregate_id)
        .outerjoin(record_account, record_account.c.id == audit_log.c.aggregate_id)
        .outerjoin(audit_draft_owners, audit_draft_owners.c.draft_id == audit_log.c.aggregate_id)
        .outerjoin(draft_owner, draft_owner.c.id == audit_draft_owners.c.account_id)
    )
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(audit_log).where(where)).scalar_one()
        page = min(page, max(1, math.ceil(total / size)))
        rows = conn.execute(
            select(
                audit_log,
                accounts.c.display_name,
                accounts.c.email,
                providers.c.name.label("provider_name"),
                record_account.c.display_name.label("account_name"),
                draft_owner.c.display_name.label("draft_owner_name"),
            )
            .select_from(joined)
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
