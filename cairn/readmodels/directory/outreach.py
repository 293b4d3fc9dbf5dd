"""Which providers the CIC should reach: those without an account (to invite), and those
whose insurance or PVG membership runs out soon (to remind)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Engine, func, or_, select

from cairn.domain.directory.checks import CONFIRM_EVERY, RENEWAL_WINDOW
from cairn.domain.directory.intake import STALE_AFTER
from cairn.domain.directory.inviting import INVITABLE
from cairn.readmodels.directory.provider_accounts import provider_accounts
from cairn.readmodels.directory.providers import providers
from cairn.readmodels.mail.kinds import Kind
from cairn.readmodels.mail.outbox import outbox


@dataclass(frozen=True)
class Invitable:
    provider_id: UUID
    name: str
    status: str
    last_invited_at: datetime | None


def without_accounts(engine: Engine) -> list[Invitable]:
    """Providers on the directory (or applying) with nobody to sign in for them, by name,
    with when they were last invited (from the outbox)."""
    invited = (
        select(outbox.c.record_id, func.max(outbox.c.created_at).label("at"))
        .where(outbox.c.kind == Kind.INVITATION.value)
        .group_by(outbox.c.record_id)
        .subquery()
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(providers.c.id, providers.c.name, providers.c.status, invited.c.at)
            .join(provider_accounts, provider_accounts.c.provider_id == providers.c.id)
            .outerjoin(invited, invited.c.record_id == providers.c.id)
            .where(
                provider_accounts.c.account_id.is_(None),
                providers.c.status.in_([s.value for s in INVITABLE]),
            )
            .order_by(providers.c.name)
        ).all()
    return [Invitable(r.id, r.name, r.status, r.at) for r in rows]


def renewal_candidates(engine: Engine, today: date) -> list[UUID]:
    """Listed (or suspended) providers whose insurance or PVG runs out within the reminder
    window, or has: the sweep lets each decide which reminder, if any, is due."""
    horizon = today + RENEWAL_WINDOW
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(providers.c.id).where(
                    providers.c.status.in_(("approved", "suspended")),
                    or_(
                        providers.c.insurance_expires_on <= horizon,
                        providers.c.pvg_renewal_due <= horizon,
                    ),
                )
            ).scalars()
        )


def confirmation_candidates(engine: Engine, today: date) -> list[UUID]:
    """Listed providers whose six-monthly confirmation has fallen due."""
    last = func.coalesce(providers.c.last_confirmed_on, providers.c.approved_on)
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(providers.c.id).where(
                    providers.c.status == "approved", last <= today - CONFIRM_EVERY
                )
            ).scalars()
        )


def intake_candidates(engine: Engine, today: date) -> list[UUID]:
    """Listings whose "taking on new people?" is old, or "full" until a day that has come."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(providers.c.id).where(
                    providers.c.status == "approved",
                    or_(
                        providers.c.intake_on <= today - STALE_AFTER,
                        providers.c.intake_until <= today,
                    ),
                )
            ).scalars()
        )
