"""A PublicListing as a search document, and back again from what the index stores."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from cairn.domain.directory.listing import PublicListing, TrainingRecord
from cairn.domain.service_types import is_service_type, service_type
from cairn.domain.validation import DAYS, TIMES
from cairn.search.providers.schema import KIND_LISTING, NO_EXPIRY, NO_PRICE


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def listing_to_json(listing: PublicListing) -> str:
    """Everything a result, a profile or the API shows, stored beside the indexed fields."""

    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    data = {
        "provider_id": str(listing.provider_id),
        "name": listing.name,
        "description": listing.description,
        "services": list(listing.services),
        "district": listing.district,
        "areas_covered": list(listing.areas_covered),
        "availability": list(listing.availability),
        "sds_options": list(listing.sds_options),
        "languages": list(listing.languages),
        "price_per_hour": str(listing.price_per_hour)
        if listing.price_per_hour is not None
        else None,
        "contact_name": listing.contact_name,
        "email": listing.email,
        "phone": listing.phone,
        "website": listing.website,
        "pvg_checked_on": iso(listing.pvg_checked_on),
        "insurance_expires_on": iso(listing.insurance_expires_on),
        "training": [[t.course, iso(t.completed_on)] for t in listing.training],
        "last_confirmed_on": iso(listing.last_confirmed_on),
        "assured_on": iso(listing.assured_on),
        "updated_at": listing.updated_at.isoformat(),
    }
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def listing_from_json(text: str) -> PublicListing:
    data: dict[str, Any] = json.loads(text)
    price = data["price_per_hour"]
    return PublicListing(
        provider_id=UUID(data["provider_id"]),
        name=data["name"],
        description=data["description"],
        services=tuple(data["services"]),
        district=data["district"],
        areas_covered=tuple(data["areas_covered"]),
        availability=tuple(data["availability"]),
        sds_options=tuple(data["sds_options"]),
        languages=tuple(data["languages"]),
        price_per_hour=Decimal(price) if price is not None else None,
        contact_name=data["contact_name"],
        email=data["email"],
        phone=data["phone"],
        website=data["website"],
        pvg_checked_on=_day(data["pvg_checked_on"]),
        insurance_expires_on=_day(data["insurance_expires_on"]),
        training=tuple(TrainingRecord(course, _day(done)) for course, done in data["training"]),
        last_confirmed_on=_day(data["last_confirmed_on"]),
        assured_on=_day(data["assured_on"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
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
    return {
        "id": str(listing.provider_id),
        "kind": KIND_LISTING,
        "name": listing.name,
        "service_text": service_text(listing.services),
        "description": listing.description,
        "name_sort": listing.name.casefold(),
        "services": ",".join(listing.services),
        "districts": ",".join(listing.areas_covered),
        "days": ",".join(t for t in listing.availability if t in DAYS),
        "times": ",".join(t for t in listing.availability if t in TIMES),
        "sds": ",".join(listing.sds_options),
        "languages": ",".join(listing.languages),
        "price_pence": int(price * 100) if price is not None else NO_PRICE,
        "insured_until": expiry.toordinal() if expiry is not None else NO_EXPIRY,
        "listing": listing_to_json(listing),
    }
