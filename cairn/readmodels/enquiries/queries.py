"""Read-model queries for enquiries, the provider inbox and unmet demand."""

from __future__ import annotations

from collections.abc import Container
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


def months_between(since: date, until: date) -> list[str]:
    """Every month from `since`'s to `until`'s, as "2026-11", so a quiet month shows as 0."""
    months: list[str] = []
    year, month = since.year, since.month
    while (year, month) <= (until.year, until.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def unmet_demand_table(
    engine: Engine, since: date, known: Container[str]
) -> tuple[list[str], list[DemandRow]]:
    """Searches that found nobody, by district x service, counted per month since `since`;
    only districts in `known` (the geo data), so a signal for a place that is not one, kept
    from before that was checked, is never counted."""
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
        if row.district not in known:
            continue
        table.setdefault((row.district, row.service), {})[row.month] = row.searches
        months.add(row.month)
    rows = [
        DemandRow(district, service, by_month, sum(by_month.values()), latest[(district, service)])
        for (district, service), by_month in table.items()
    ]
    rows.sort(key=lambda r: (-r.total, r.district, r.service))
    return sorted(months), rows


@dataclass(frozen=True)
class DemandMonth:
    month: str  # "2026-11"
    searches: int  # signals, each counted once however many services it asked for
    districts: int


def demand_by_month(
    engine: Engine, since: date, until: date, known: Container[str]
) -> list[DemandMonth]:
    """Signals per month from `since` to `until`, every month listed (0 when quiet)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(unmet_demand.c.month, unmet_demand.c.signal_id, unmet_demand.c.district)
            .where(unmet_demand.c.recorded_on >= since)
            .distinct()
        ).all()
    signals: dict[str, set[UUID]] = {}
    districts: dict[str, set[str]] = {}
    for row in rows:
        if row.district in known:
            signals.setdefault(row.month, set()).add(row.signal_id)
            districts.setdefault(row.month, set()).add(row.district)
    return [
        DemandMonth(m, len(signals.get(m, ())), len(districts.get(m, ())))
        for m in months_between(since, until)
    ]


def demand_by_district(engine: Engine, since: date) -> dict[str, int]:
    """Signals per district since `since`, each counted once."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(unmet_demand.c.district, func.count(func.distinct(unmet_demand.c.signal_id)))
            .where(unmet_demand.c.recorded_on >= since)
            .group_by(unmet_demand.c.district)
        ).all()
    return {district: count for district, count in rows}


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
