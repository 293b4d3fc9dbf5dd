"""A PublicListing as a search document, and back again from what the index stores."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from cairn.domain.directory.fields import (
    PUBLIC_FIELDS,
    SearchRole,
    from_json,
    to_json,
)
from cairn.domain.directory.listing import PublicListing, TrainingRecord
from cairn.domain.service_types import is_service_type, service_type
from cairn.search.providers.schema import (
    INTAKE_FIELD,
    KIND_LISTING,
    MODIFIED_FIELD,
    NO_EXPIRY,
    NO_PRICE,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def instant_of(moment: datetime) -> int:
    """A moment as whole microseconds since 1970 (UTC), exactly: how the index keeps when a
    listing last changed, and how `modified_after` is compared with it."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def listing_to_json(listing: PublicListing) -> str:
    """Everything a result, a profile or the API shows, stored beside the indexed fields."""

    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    data = {
        "provider_id": str(listing.provider_id),
        "district": listing.district,
        **{f.name: to_json(f.name, getattr(listing, f.name)) for f in PUBLIC_FIELDS},
        "pvg_checked_on": iso(listing.pvg_checked_on),
        "insurance_expires_on": iso(listing.insurance_expires_on),
        "training": [[t.course, iso(t.completed_on)] for t in listing.training],
        "last_confirmed_on": iso(listing.last_confirmed_on),
        "assured_on": iso(listing.assured_on),
        "updated_at": listing.updated_at.isoformat(),
        "intake": listing.intake,
        "intake_until": iso(listing.intake_until),
        "intake_on": iso(listing.intake_on),
    }
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def listing_from_json(text: str) -> PublicListing:
    data: dict[str, Any] = json.loads(text)
    return PublicListing(
        provider_id=UUID(data["provider_id"]),
        district=data["district"],
        # .get: a field added since the index was built reads as empty until it is rebuilt.
        **{f.name: from_json(f.name, data.get(f.name)) for f in PUBLIC_FIELDS},
        pvg_checked_on=_day(data["pvg_checked_on"]),
        insurance_expires_on=_day(data["insurance_expires_on"]),
        training=tuple(TrainingRecord(course, _day(done)) for course, done in data["training"]),
        last_confirmed_on=_day(data["last_confirmed_on"]),
        assured_on=_day(data["assured_on"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
        intake=data.get("intake"),
        intake_until=_day(data.get("intake_until")),
        intake_on=_day(data.get("intake_on")),
    )


def service_text(services: tuple[str, ...]) -> str:
    parts = []
    for key in services:
        if is_service_type(key):
            kind = service_type(key)
            parts.append(f"{kind.label}. {kind.description}.")
    return " ".join(parts)


def to_document(listing: PublicListing) -> dict[str, Any]:
    """The fields Whoosh indexes for one listing (every keyword list comma-joined)."""
    price = listing.price_per_hour
    expiry = listing.insurance_expires_on
    document: dict[str, Any] = {
        "id": str(listing.provider_id),
        "kind": KIND_LISTING,
        "service_text": service_text(listing.services),
        "name_sort": listing.name.casefold(),
        "price_pence": int(price * 100) if price is not None else NO_PRICE,
        "insured_until": expiry.toordinal() if expiry is not None else NO_EXPIRY,
        "listing": listing_to_json(listing),
        INTAKE_FIELD: listing.intake or "",
        MODIFIED_FIELD: instant_of(listing.updated_at),
    }
    for f in PUBLIC_FIELDS:
        if f.search is SearchRole.TEXT:
            document.update({index: getattr(listing, f.name) for index in f.index_fields})
        elif f.search in (SearchRole.FACET, SearchRole.FILTER):
            values = getattr(listing, f.name)
            for index in f.index_fields:
                document[index] = ",".join(values)
    return document
