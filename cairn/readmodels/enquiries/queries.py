"""Read-model queries for enquiries, the provider inbox and unmet demand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Row, func, select

from cairn.readmodels.directory.provider_accounts import provider_accounts
from cairn.readmodels.enquiries.enquiries import enquiries
from cairn.readmodels.enquiries.feedback import feedback
from cairn.readmodels.enquiries.unmet_demand import unmet_demand


def providers_of_account(engine: Engine, account_id: UUID) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(provider_accounts)
                .where(provider_accounts.c.account_id == account_id)
                .order_by(provider_accounts.c.name)
            )
        )


def inbox(engine: Engine, provider_ids: list[UUID], limit: int = 200) -> list[Row[Any]]:
    """Newest first; unanswered before answered."""
    if not provider_ids:
        return []
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(enquiries)
                .where(enquiries.c.provider_id.in_(provider_ids))
                .order_by(enquiries.c.answered_at.is_not(None), enquiries.c.received_at.desc())
                .limit(limit)
            )
        )


def enquiry_for(engine: Engine, enquiry_id: UUID, provider_ids: list[UUID]) -> Row[Any] | None:
    """One enquiry, if it was sent to one of these providers."""
    if not provider_ids:
        return None
    with engine.connect() as conn:
        return conn.execute(
            select(enquiries).where(
                enquiries.c.id == enquiry_id, enquiries.c.provider_id.in_(provider_ids)
            )
        ).first()


def unread_count(engine: Engine, account_id: UUID) -> int:
    """Enquiries to this account's providers that nobody has opened yet."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(enquiries)
                .join(provider_accounts, provider_accounts.c.provider_id == enquiries.c.provider_id)
                .where(provider_accounts.c.account_id == account_id, enquiries.c.read_at.is_(None))
            ).scalar_one()
        )


@dataclass(frozen=True)
class DemandRow:
    district: str
    service: str
    months: dict[str, int]  # "2026-11" -> searches
    total: int
    latest_signal: UUID


def unmet_demand_table(engine: Engine, since: date) -> tuple[list[str], list[DemandRow]]:
    """Searches that found nobody, by district x service, counted per month since `since`."""
    month = unmet_demand.c.month
    with engine.connect() as conn:
        counts = conn.execute(
            select(
                unmet_demand.c.district,
                unmet_demand.c.service,
                month.label("month"),
                func.count().label("searches"),
            )
            .where(unmet_demand.c.recorded_on >= since)
            .group_by(unmet_demand.c.district, unmet_demand.c.service, month)
        ).all()
        latest = {
            (r.district, r.service): r.signal_id
            for r in conn.execute(
                select(unmet_demand.c.district, unmet_demand.c.service, unmet_demand.c.signal_id)
                .where(unmet_demand.c.recorded_on >= since)
                .order_by(unmet_demand.c.id)
            )
        }
    table: dict[tuple[str, str], dict[str, int]] = {}
    months: set[str] = set()
    for row in counts:
        table.setdefault((row.district, row.service), {})[row.month] = row.searches
        months.add(row.month)
    rows = [
        DemandRow(district, service, by_month, sum(by_month.values()), latest[(district, service)])
        for (district, service), by_month in table.items()
    ]
    rows.sort(key=lambda r: (-r.total, r.district, r.service))
    return sorted(months), rows


@dataclass(frozen=True)
class FeedbackEntry:
    id: UUID
    verdict: str
    page: str
    text: str
    received_at: datetime
    dealt_with_at: datetime | None


def feedback_entries(engine: Engine, *, dealt_with: bool, limit: int = 200) -> list[FeedbackEntry]:
    """Open feedback (or feedback already dealt with), newest first."""
    done = (
        feedback.c.dealt_with_at.is_not(None) if dealt_with else feedback.c.dealt_with_at.is_(None)
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(feedback).where(done).order_by(feedback.c.received_at.desc()).limit(limit)
        ).all()
    return [
        FeedbackEntry(
            id=row.id,
            verdict=row.verdict,
            page=row.page,
            text=row.text,
            received_at=row.received_at,
            dealt_with_at=row.dealt_with_at,
        )
        for row in rows
    ]


def open_feedback_count(engine: Engine) -> int:
    with engine.connect() as conn:
        query = select(func.count()).select_from(feedback).where(feedback.c.dealt_with_at.is_(None))
        return int(conn.execute(query).scalar_one())
