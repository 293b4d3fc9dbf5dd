"""What the public may see of a provider: the one rule every public surface uses.

The search index, the public profile and the Open Referral API all build from
`Provider.public_listing()`, so "who is visible, and with what" is decided here only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Protocol
from uuid import UUID

from cairn.domain.directory.fields import PUBLIC_FIELDS, district_of
from cairn.domain.directory.lifecycle import Status


@dataclass(frozen=True)
class TrainingRecord:
    course: str  # a training key such as "first-aid"
    completed_on: date | None


@dataclass(frozen=True)
class PublicListing:
    provider_id: UUID
    name: str
    description: str
    description_language: str  # ISO 639-1: pages mark the description with it (lang=)
    services: tuple[str, ...]  # service-type keys
    district: str  # outward code of the provider's base
    areas_covered: tuple[str, ...]  # outward codes served
    availability: tuple[str, ...]  # day-and-time slots (cairn.domain.availability)
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
    # The last time the CIC approved or checked the provider, or the provider confirmed the
    # listing (ORUK's assured_date).
    assured_on: date | None
    # When what the public sees of the listing last changed (ORUK's last_modified, the
    # API's modified_after): not moved by anything the public does not see.
    updated_at: datetime
    # Taking on new people (cairn.domain.directory.intake): None when they have not said.
    intake: str | None = None
    intake_until: date | None = None
    intake_on: date | None = None


class ListedProvider(Protocol):
    """What the public view reads of a provider (the Provider aggregate has it all)."""

    @property
    def id(self) -> UUID: ...
    @property
    def status(self) -> str: ...
    @property
    def hidden_reason(self) -> str | None: ...
    @property
    def postcode(self) -> str: ...
    @property
    def pvg_checked_on(self) -> date | None: ...
    @property
    def insurance_expires_on(self) -> date | None: ...
    @property
    def training(self) -> dict[str, date | None]: ...
    @property
    def last_checked_on(self) -> date | None: ...
    @property
    def last_confirmed_on(self) -> date | None: ...
    @property
    def approved_on(self) -> date | None: ...
    @property
    def listing_changed_at(self) -> datetime | None: ...
    @property
    def modified_on(self) -> datetime: ...
    @property
    def intake(self) -> str | None: ...
    @property
    def intake_until(self) -> date | None: ...
    @property
    def intake_on(self) -> date | None: ...


# Every attribute `public_listing_of` makes a listing from (its id aside, which never changes,
# and the instant, which follows from these): equal values give an equal listing.
LISTING_SOURCES = (
    "status",
    "hidden_reason",
    "postcode",
    *(f.name for f in PUBLIC_FIELDS),
    "pvg_checked_on",
    "insurance_expires_on",
    "training",
    "approved_on",
    "last_checked_on",
    "last_confirmed_on",
    "intake",
    "intake_until",
    "intake_on",
)


_read_sources = attrgetter(*LISTING_SOURCES)


def public_state(provider: ListedProvider) -> tuple[object, ...] | None:
    """What the public listing is made from, or None when nothing is public: a cheap stand-in
    for the listing where only "did it change?" is asked (on every event applied), since
    building the listing costs several times more than applying the event."""
    if provider.status != Status.APPROVED or provider.hidden_reason is not None:
        return None
    state: tuple[object, ...] = _read_sources(provider)
    return state


def public_listing_of(provider: ListedProvider) -> PublicListing | None:
    """The listing the public may see now, or None: the one rule every public surface uses."""
    if provider.status != Status.APPROVED or provider.hidden_reason is not None:
        return None
    assured = [
        d
        for d in (provider.approved_on, provider.last_checked_on, provider.last_confirmed_on)
        if d is not None
    ]
    return PublicListing(
        provider_id=provider.id,
        district=district_of(provider.postcode),
        **{f.name: getattr(provider, f.name) for f in PUBLIC_FIELDS},
        pvg_checked_on=provider.pvg_checked_on,
        insurance_expires_on=provider.insurance_expires_on,
        training=tuple(
            TrainingRecord(course=course, completed_on=completed)
            for course, completed in provider.training.items()
        ),
        last_confirmed_on=provider.last_confirmed_on,
        assured_on=max(assured) if assured else None,
        # Until the event that lists it is applied, its own time (ProviderEvent sets it then).
        updated_at=provider.listing_changed_at or provider.modified_on,
        intake=provider.intake,
        intake_until=provider.intake_until,
        intake_on=provider.intake_on,
    )
