"""Read-model queries for the CIC workspace and the provider's own pages."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Row, Text, and_, cast, func, not_, or_, select

from cairn.domain.directory.checks import (
    CONFIRM_EVERY,
    CONFIRM_GRACE,
    RENEWAL_WINDOW,
)
from cairn.domain.directory.lifecycle import OPEN_APPLICATION, Status
from cairn.readmodels.accounts.accounts import accounts
from cairn.readmodels.directory.desk import desk_files, desk_notes
from cairn.readmodels.directory.provider_history import provider_history
from cairn.readmodels.directory.provider_reports import provider_reports
from cairn.readmodels.directory.providers import providers
from cairn.readmodels.directory.rows import ProviderRow, provider_row_of, provider_rows_of
from cairn.readmodels.paging import Page

# "renewals" are checks due soon (or a listing to confirm); "lapsed", checks already run out.
QUEUE_KINDS = ("applications", "edits", "reports", "renewals", "lapsed")
OPEN_STATUSES = tuple(s.value for s in OPEN_APPLICATION)
ON_BOOKS = (Status.APPROVED.value, Status.SUSPENDED.value)


@dataclass(frozen=True)
class QueueFilters:
    kind: str = "applications"
    status: str = ""  # one status of an open application, or "" for all
    district: str = ""
    text: str = ""
    sort: str = ""  # a key of QUEUE_SORTS[kind]; "" (or an unknown key) for the default
    descending: bool = False
    assignee: UUID | None = None  # only the items this administrator has taken


def _lapsed_condition(today: date) -> Any:
    """A listed provider with a check that has already run out (or hidden for it)."""
    return and_(
        providers.c.status.in_(ON_BOOKS),
        or_(
            and_(
                providers.c.insurance_expires_on.is_not(None),
                providers.c.insurance_expires_on < today,
            ),
            and_(
                providers.c.pvg_renewal_due.is_not(None),
                providers.c.pvg_renewal_due < today,
            ),
            providers.c.hidden_reason.is_not(None),
        ),
    )


def _renewals_condition(today: date) -> Any:
    """Due soon: a check running out within the window, or a listing to confirm, and nothing
    lapsed yet (a lapsed provider is in the "lapsed" queue only, never shown as "due")."""
    return and_(_coming_due(today), not_(_lapsed_condition(today)))


def _coming_due(today: date) -> Any:
    horizon = today + RENEWAL_WINDOW
    # Asked at CONFIRM_EVERY and reminded two weeks later; the CIC looks after CONFIRM_GRACE.
    confirm_before = today - CONFIRM_EVERY - CONFIRM_GRACE
    return and_(
        providers.c.status.in_(ON_BOOKS),
        or_(
            providers.c.insurance_expires_on <= horizon,
            providers.c.pvg_renewal_due <= horizon,
            providers.c.hidden_reason.is_not(None),
            and_(
                providers.c.status == Status.APPROVED.value,
                func.coalesce(providers.c.last_confirmed_on, providers.c.approved_on)
                <= confirm_before,
            ),
        ),
    )


def _condition(kind: str, today: date) -> Any:
    if kind == "edits":
        return providers.c.pending_edit.is_not(None)
    if kind == "renewals":
        return _renewals_condition(today)
    if kind == "lapsed":
        return _lapsed_condition(today)
    return providers.c.status.in_(OPEN_STATUSES)


def queue_counts(engine: Engine, today: date) -> dict[str, int]:
    """How many rows each kind of queue holds (reports: listings with open reports)."""
    with engine.connect() as conn:
        counts = {
            kind: conn.execute(
                select(func.count()).select_from(providers).where(_condition(kind, today))
            ).scalar_one()
            for kind in QUEUE_KINDS
            if kind != "reports"
        }
        counts["reports"] = conn.execute(
            select(func.count(func.distinct(provider_reports.c.provider_id))).where(
                provider_reports.c.resolved.is_(False)
            )
        ).scalar_one()
    return counts


def _paged(conn: Any, query: Any, count_query: Any, page: int, size: int) -> Page[Row[Any]]:
    total = conn.execute(count_query).scalar_one()
    page = min(page, max(1, math.ceil(total / size)))
    rows = conn.execute(query.limit(size).offset((page - 1) * size)).all()
    return Page(items=list(rows), number=page, size=size, total=total)


# The columns each kind of queue can be sorted by (the web's ?sort= keys); the first is the
# default: oldest waiting first.
QUEUE_SORTS: dict[str, dict[str, Any]] = {
    "applications": {
        "applied": providers.c.applied_at,
        "name": func.lower(providers.c.name),
        "district": providers.c.district,
        "stage": providers.c.status,
    },
    "edits": {
        "sent": providers.c.edit_proposed_at,
        "name": func.lower(providers.c.name),
        "district": providers.c.district,
    },
    "renewals": {
        "insurance": providers.c.insurance_expires_on,
        "name": func.lower(providers.c.name),
        "district": providers.c.district,
        "pvg": providers.c.pvg_checked_on,
    },
    "lapsed": {
        "insurance": providers.c.insurance_expires_on,
        "name": func.lower(providers.c.name),
        "district": providers.c.district,
        "pvg": providers.c.pvg_checked_on,
    },
    # One row per listing: sorted by its oldest open report.
    "reports": {
        "reported": func.min(provider_reports.c.reported_at),
        "provider": func.lower(providers.c.name),
        "count": func.count(),
    },
}


def _ordered(filters: QueueFilters, tiebreak: Any) -> list[Any]:
    sorts = QUEUE_SORTS[filters.kind]
    column = sorts.get(filters.sort) if filters.sort else None
    if column is None:
        column, descending = next(iter(sorts.values())), False
    else:
        descending = filters.descending
    return [(column.desc() if descending else column.asc()).nulls_last(), tiebreak]


def _assigned_to(provider_id: Any, assignee: UUID) -> Any:
    return provider_id.in_(
        select(desk_files.c.provider_id).where(desk_files.c.assignee == assignee)
    )


def _provider_conditions(filters: QueueFilters, today: date) -> list[Any]:
    conditions: list[Any] = [_condition(filters.kind, today)]
    if filters.assignee is not None:
        conditions.append(_assigned_to(providers.c.id, filters.assignee))
    if filters.kind == "applications" and filters.status in OPEN_STATUSES:
        conditions.append(providers.c.status == filters.status)
    if filters.district:
        conditions.append(
            or_(
                providers.c.district == filters.district,
                # A district is letters and digits, so its quoted form matches one element.
                cast(providers.c.areas_covered, Text).like(f'%"{filters.district}"%'),
            )
        )
    if filters.text:
        conditions.append(
            or_(
                providers.c.name.ilike(f"%{filters.text}%"),
                providers.c.email.ilike(f"%{filters.text}%"),
            )
        )
    return conditions


def _report_conditions(filters: QueueFilters) -> list[Any]:
    conditions: list[Any] = [provider_reports.c.resolved.is_(False)]
    if filters.assignee is not None:
        conditions.append(_assigned_to(provider_reports.c.provider_id, filters.assignee))
    if filters.district:
        conditions.append(providers.c.district == filters.district)
    if filters.text:
        conditions.append(providers.c.name.ilike(f"%{filters.text}%"))
    return conditions


_REPORTS_JOINED = provider_reports.join(providers, providers.c.id == provider_reports.c.provider_id)


def queue_page(
    engine: Engine, filters: QueueFilters, today: date, page: int, size: int = 20
) -> Page[ProviderRow] | Page[ReportGroup]:
    """One kind of queue item, filtered and sorted (oldest waiting first unless asked
    otherwise): providers, or for "reports" one row per listing with its open reports."""
    if filters.kind == "reports":
        return _reports_page(engine, filters, page, size)
    conditions = _provider_conditions(filters, today)
    with engine.connect() as conn:
        found = _paged(
            conn,
            select(providers).where(*conditions).order_by(*_ordered(filters, providers.c.id)),
            select(func.count()).select_from(providers).where(*conditions),
            page,
            size,
        )
    return Page(provider_rows_of(found.items), found.number, found.size, found.total)


def queue_total(engine: Engine, filters: QueueFilters, today: date) -> int:
    """How many items the queue page with these filters holds now (for "N new items")."""
    if filters.kind == "reports":
        count = select(func.count(func.distinct(provider_reports.c.provider_id)))
        count = count.select_from(_REPORTS_JOINED).where(*_report_conditions(filters))
    else:
        count = select(func.count()).select_from(providers)
        count = count.where(*_provider_conditions(filters, today))
    with engine.connect() as conn:
        total: int = conn.execute(count).scalar_one()
    return total


@dataclass(frozen=True)
class ReportGroup:
    """The open reports about one listing: one row of the reports queue ("2 reports")."""

    provider_id: UUID
    provider_name: str
    district: str
    first_reported_at: Any
    reports: list[Row[Any]]  # oldest first


def _reports_page(engine: Engine, filters: QueueFilters, page: int, size: int) -> Page[ReportGroup]:
    conditions = _report_conditions(filters)
    query = (
        select(
            provider_reports.c.provider_id,
            providers.c.name.label("provider_name"),
            providers.c.district,
            func.min(provider_reports.c.reported_at).label("first_reported_at"),
        )
        .select_from(_REPORTS_JOINED)
        .where(*conditions)
        .group_by(provider_reports.c.provider_id, providers.c.name, providers.c.district)
        .order_by(*_ordered(filters, provider_reports.c.provider_id))
    )
    count = select(func.count(func.distinct(provider_reports.c.provider_id)))
    count = count.select_from(_REPORTS_JOINED).where(*conditions)
    with engine.connect() as conn:
        found = _paged(conn, query, count, page, size)
        ids = [row.provider_id for row in found.items]
        reports = conn.execute(
            select(provider_reports)
            .where(provider_reports.c.provider_id.in_(ids), provider_reports.c.resolved.is_(False))
            .order_by(provider_reports.c.reported_at, provider_reports.c.id)
        ).all()
    by_provider: dict[UUID, list[Row[Any]]] = {}
    for report in reports:
        by_provider.setdefault(report.provider_id, []).append(report)
    groups = [
        ReportGroup(
            provider_id=row.provider_id,
            provider_name=row.provider_name,
            district=row.district,
            first_reported_at=row.first_reported_at,
            reports=by_provider.get(row.provider_id, []),
        )
        for row in found.items
    ]
    return Page(groups, found.number, found.size, found.total)


# -- the desk's own file on each provider ------------------------------------------------------


@dataclass(frozen=True)
class DeskNote:
    at: Any
    by: UUID
    author: str | None  # the administrator's display name; None if the account is gone
    text: str


@dataclass(frozen=True)
class Desk:
    assignee: UUID | None = None
    assignee_name: str | None = None
    assigned_at: Any = None
    notes: int = 0


_ASSIGNEES = accounts.alias("assignees")


def desks_for(engine: Engine, provider_ids: list[UUID]) -> dict[UUID, Desk]:
    """Who has taken each of these providers' items, and how many notes each has."""
    if not provider_ids:
        return {}
    notes = (
        select(desk_notes.c.provider_id, func.count().label("notes"))
        .where(desk_notes.c.provider_id.in_(provider_ids))
        .group_by(desk_notes.c.provider_id)
        .subquery()
    )
    query = (
        select(
            desk_files.c.provider_id,
            desk_files.c.assignee,
            desk_files.c.assigned_at,
            _ASSIGNEES.c.display_name,
            notes.c.notes,
        )
        .select_from(
            desk_files.outerjoin(_ASSIGNEES, _ASSIGNEES.c.id == desk_files.c.assignee).outerjoin(
                notes, notes.c.provider_id == desk_files.c.provider_id
            )
        )
        .where(desk_files.c.provider_id.in_(provider_ids))
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return {
        row.provider_id: Desk(row.assignee, row.display_name, row.assigned_at, row.notes or 0)
        for row in rows
    }


def desk_notes_for(engine: Engine, provider_id: UUID) -> list[DeskNote]:
    """The administrators' internal notes on a provider, newest first."""
    query = (
        select(desk_notes, accounts.c.display_name)
        .select_from(desk_notes.outerjoin(accounts, accounts.c.id == desk_notes.c.by))
        .where(desk_notes.c.provider_id == provider_id)
        .order_by(desk_notes.c.position.desc())
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [DeskNote(row.at, row.by, row.display_name, row.text) for row in rows]


def waiting_since(kind: str, item: Any, today: date) -> date | None:
    """The day an item came into its queue, for "days waiting": when the application or the
    change was sent, the first open report, or the day a check came due (or ran out)."""
    if kind == "reports":
        return _day(item.first_reported_at)
    if kind == "applications":
        return _day(item.applied_at)
    if kind == "edits":
        return _day(item.edit_proposed_at)
    ends = [d for d in (item.insurance_expires_on, item.pvg_renewal_due) if d is not None]
    if kind == "lapsed":
        lapsed = [d for d in ends if d < today]
        return min(lapsed) if lapsed else None
    due = [d - RENEWAL_WINDOW for d in ends if d - RENEWAL_WINDOW <= today]
    if item.status == Status.APPROVED.value and (item.last_confirmed_on or item.approved_on):
        confirm_due = (item.last_confirmed_on or item.approved_on) + CONFIRM_EVERY + CONFIRM_GRACE
        if confirm_due <= today:
            due.append(confirm_due)
    return min(due) if due else None


def _day(moment: Any) -> date | None:
    if moment is None:
        return None
    day: date = moment.date() if isinstance(moment, datetime) else moment
    return day


def provider_row(engine: Engine, provider_id: UUID) -> ProviderRow | None:
    return provider_by_id(engine, provider_id)


def provider_for_account(engine: Engine, account_id: UUID) -> ProviderRow | None:
    """The provider an account runs (its newest, if it applied more than once)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(providers)
            .where(providers.c.account_id == account_id)
            .order_by(providers.c.applied_at.desc())
        ).first()
    return None if row is None else provider_row_of(row)


@dataclass(frozen=True)
class HistoryEntry:
    at: Any
    actor: str | None  # display name; None for the public or the system
    actor_id: UUID | None
    kind: str
    details: dict[str, Any]


def history(engine: Engine, provider_id: UUID) -> list[HistoryEntry]:
    """Everything that happened to a provider, newest first, with who did it."""
    query = (
        select(provider_history, accounts.c.display_name)
        .select_from(
            provider_history.outerjoin(accounts, accounts.c.id == provider_history.c.actor_id)
        )
        .where(provider_history.c.provider_id == provider_id)
        .order_by(provider_history.c.position.desc())
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        HistoryEntry(
            at=row.at,
            actor=row.display_name,
            actor_id=row.actor_id,
            kind=row.kind,
            details=json.loads(row.details),
        )
        for row in rows
    ]


def reports_for(engine: Engine, provider_id: UUID) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(provider_reports)
                .where(provider_reports.c.provider_id == provider_id)
                .order_by(provider_reports.c.resolved, provider_reports.c.reported_at.desc())
            ).all()
        )


def report_row(engine: Engine, report_id: UUID) -> Row[Any] | None:
    with engine.connect() as conn:
        return conn.execute(
            select(provider_reports).where(provider_reports.c.id == report_id)
        ).first()


def expired_insurance_candidates(engine: Engine, today: date) -> list[UUID]:
    """Live listings whose insurance has run out: the sweep hides each by an event."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(providers.c.id).where(
                    providers.c.status == Status.APPROVED.value,
                    providers.c.hidden_reason.is_(None),
                    providers.c.insurance_expires_on < today,
                )
            ).scalars()
        )


def providers_covering(engine: Engine, district: str, service: str | None) -> list[ProviderRow]:
    """Listed, visible providers covering a district (offering a service, if one is given),
    by name: the providers behind a cell of the coverage table."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(providers)
            .where(
                providers.c.status == Status.APPROVED.value,
                providers.c.hidden_reason.is_(None),
                # A district is letters and digits, so its quoted form matches one element.
                cast(providers.c.areas_covered, Text).like(f'%"{district}"%'),
            )
            .order_by(providers.c.name, providers.c.id)
        ).all()
    found = provider_rows_of(list(rows))
    return [
        row
        for row in found
        if district in row.areas_covered and (not service or service in row.services)
    ]


def listing_dict(row: ProviderRow) -> dict[str, Any]:
    """A provider's listing fields by name, for the summary templates."""
    return {
        "name": row.name,
        "contact_name": row.contact_name,
        "email": row.email,
        "phone": row.phone,
        "postcode": row.postcode,
        "services": row.services,
        "areas_covered": row.areas_covered,
        "availability": row.availability,
        "price_per_hour": row.price_per_hour,
        "sds_options": row.sds_options,
        "languages": row.languages,
        "website": row.website,
        "description": row.description,
        "description_language": row.description_language,
    }


def providers_by_status(
    engine: Engine, status: Status, page: int, size: int = 20
) -> Page[ProviderRow]:
    order = (
        [providers.c.applied_at, providers.c.id]
        if status == Status.APPLIED
        else [providers.c.name, providers.c.id]
    )
    where = [providers.c.status == status.value]
    if status == Status.APPROVED:
        where.append(providers.c.hidden_reason.is_(None))  # hidden while insurance has lapsed
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(providers).where(*where)).scalar_one()
        last_page = max(1, math.ceil(total / size))
        page = min(page, last_page)
        rows = conn.execute(
            select(providers).where(*where).order_by(*order).limit(size).offset((page - 1) * size)
        ).all()
    return Page(items=provider_rows_of(list(rows)), number=page, size=size, total=total)


def provider_by_id(engine: Engine, provider_id: UUID) -> ProviderRow | None:
    with engine.connect() as conn:
        row = conn.execute(select(providers).where(providers.c.id == provider_id)).first()
    return None if row is None else provider_row_of(row)


def once_listed(engine: Engine, provider_id: UUID) -> bool:
    """Whether this provider was ever approved, so that a link to it once worked."""
    with engine.connect() as conn:
        approved_on = conn.execute(
            select(providers.c.approved_on).where(providers.c.id == provider_id)
        ).scalar_one_or_none()
    return approved_on is not None
