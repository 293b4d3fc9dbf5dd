"""What the public may see of a provider: the one rule every public surface uses.

The search index, the public profile and the Open Referral API all build from
`Provider.public_listing()`, so "who is visible, and with what" is decided here only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID


@dataclass(frozen=True)
class TrainingRecord:
    course: str  # a training key such as "first-aid"
    completed_on: date | None


@dataclass(frozen=True)
class PublicListing:
    provider_id: UUID
    name: str
    description: str
    services: tuple[str, ...]  # service-type keys
    district: str  # outward code of the provider's base
    areas_covered: tuple[str, ...]  # outward codes served
    availability: tuple[str, ...]  # day and time tokens from cairn.domain.validation
    sds_options: tuple[str, ...]  # Self-directed Support options "1"-"4"
    languages: tuple[str, ...]  # ISO 639-1 codes
    price_per_hour: Decimal | None
    contact_name: str
    email: str
    phone: str | None
    website: str | None
    pvg_checked_on: date | None
    insurance_expires_on: date | None
    training: tuple[TrainingRecord, ...]
    last_confirmed_on: date | None
    # The last time the CIC checked the provider or the provider confirmed the listing.
    assured_on: date | None
    updated_at: datetime
