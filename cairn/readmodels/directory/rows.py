"""A provider's read-model row as the views get it: typed, with its lists as lists.

Queries hand out these instead of SQLAlchemy rows, so no view splits a string or parses JSON,
and mypy sees a renamed column."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Row

from cairn.domain.availability import read_availability


@dataclass(frozen=True)
class TrainingRow:
    course: str  # a key (training.course_name names it)
    completed_on: date | None
    expires_on: date | None


@dataclass(frozen=True)
class EvidenceRow:
    id: UUID
    check: str  # pvg, insurance or training
    course: str  # for training: the course's key
    media_type: str
    on: date


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class ProviderRow:
    id: UUID
    account_id: UUID | None
    name: str
    contact_name: str
    email: str
    phone: str | None
    website: str | None
    postcode: str
    district: str
    services: list[str]
    areas_covered: list[str]
    availability: list[str]
    sds_options: list[str]
    languages: list[str]
    price_per_hour: Decimal | None
    description: str
    description_language: str
    status: str
    decision_reason: str | None
    question: str | None
    answer: str | None
    hidden_reason: str | None
    pending_edit: dict[str, Any] | None  # the fields waiting for review, new values
    edit_proposed_at: datetime | None
    pvg_checked_on: date | None
    pvg_renewal_due: date | None
    pvg_membership_number: str | None
    insurance_expires_on: date | None
    insurer: str | None
    insurance_policy_number: str | None
    insurance_cover: Decimal | None
    standards_signed_on: date | None
    standards_version: int | None  # None: signed before the standards had numbers
    training: list[str]  # course keys
    training_records: list[TrainingRow]
    evidence: list[EvidenceRow]
    approved_on: date | None
    last_confirmed_on: date | None
    intake: str | None
    intake_until: date | None
    intake_on: date | None
    version: int
    applied_at: datetime
    updated_at: datetime


def provider_row_of(row: Row[Any]) -> ProviderRow:
    values = row._asdict()
    pending = json.loads(values["pending_edit"]) if values["pending_edit"] else None
    # Rows projected before availability became slots hold days and times: read as slots
    # (`cairn projections rebuild` rewrites them).
    values["availability"] = list(read_availability(values["availability"]))
    if pending and pending.get("availability") is not None:
        pending["availability"] = list(read_availability(pending["availability"]))
    values["pending_edit"] = pending
    # Rows projected before courses kept their dates hold keys only.
    records = values["training_records"] or [
        {"course": key, "completed_on": None, "expires_on": None} for key in values["training"]
    ]
    values["training_records"] = [
        TrainingRow(r["course"], _day(r["completed_on"]), _day(r["expires_on"])) for r in records
    ]
    values["evidence"] = [
        EvidenceRow(
            UUID(e["id"]), e["check"], e["course"], e["media_type"], date.fromisoformat(e["on"])
        )
        for e in values["evidence"] or []
    ]
    return ProviderRow(**values)


def provider_rows_of(rows: list[Row[Any]]) -> list[ProviderRow]:
    return [provider_row_of(row) for row in rows]
