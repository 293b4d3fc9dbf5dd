"""Open Referral UK (HSDS 3.0 UK profile) shapes for public listings.

Each listing is one service run by one organisation (the micro-provider itself). Ids of the
parts (schedules, areas, costs…) are derived from the provider id, and taxonomy term ids from the
service-type keys, so they are stable. An optional field without a value is left out, never sent
as `null`: the UK profile types those fields as plain strings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from cairn.domain.availability import day_of, time_of
from cairn.domain.directory.fields import PUBLIC_FIELDS
from cairn.domain.directory.intake import Intake
from cairn.domain.directory.listing import PublicListing
from cairn.domain.service_types import ServiceType, all_service_types, is_service_type
from cairn.domain.validation import TIMES
from cairn.web.api.params import WINDOWS
from cairn.web.directory_labels import english_language_name

UK_PROFILE = "https://github.com/openreferral/uk-profile"
TAXONOMY_ID = str(uuid5(NAMESPACE_URL, "cairn:taxonomy:service-types"))
_BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
_DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
# Each time of day's opening hours, from the one table of them (params.WINDOWS).
_HOURS = {
    time: (f"{opens // 60 % 24:02d}:{opens % 60:02d}", f"{closes // 60 % 24:02d}:{closes % 60:02d}")
    for time, (opens, closes) in WINDOWS.items()
}


def stable_id(*parts: object) -> str:
    """A UUID that is the same on every call for the same parts (uuid5 in Cairn's namespace)."""
    return str(uuid5(NAMESPACE_URL, "cairn:" + ":".join(str(p) for p in parts)))


_KEYS_BY_TERM_ID = {stable_id("taxonomy_term", kind.key): kind.key for kind in all_service_types()}


def without_nulls(value: Any) -> Any:
    """The shape with every `None` left out, at any depth: ORUK omits optional fields that
    have no value."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def term_id(key: str) -> str:
    """The taxonomy term's UUID, derived from its service-type key (the key is its `code`)."""
    return stable_id("taxonomy_term", key)


def term_key(term: str) -> str | None:
    """The service-type key a `taxonomy_term_id` names: its UUID, or (still accepted, for
    clients written before term ids were UUIDs) the key itself."""
    value = term.strip().lower()
    if is_service_type(value):
        return value
    return _KEYS_BY_TERM_ID.get(value)


def taxonomy() -> dict[str, Any]:
    return {
        "id": TAXONOMY_ID,
        "name": "Cairn service types",
        "description": "The kinds of help Cairn's micro-providers offer. Keys never change.",
        "version": "1",
    }


def taxonomy_term(kind: ServiceType) -> dict[str, Any]:
    return {
        "id": term_id(kind.key),
        "code": kind.key,
        "name": kind.label,
        "description": kind.description,
        "taxonomy": "Cairn service types",
        "language": "en",
        "taxonomy_id": TAXONOMY_ID,
    }


def taxonomy_term_for(key: str) -> dict[str, Any]:
    """The term of a service-type key (one that `term_key` answered)."""
    return taxonomy_term(next(kind for kind in all_service_types() if kind.key == key))


def taxonomy_terms() -> list[dict[str, Any]]:
    return [taxonomy_term(kind) for kind in all_service_types()]


def service(listing: PublicListing, profile_url: str) -> dict[str, Any]:
    shape: dict[str, Any] = without_nulls(_service(listing, profile_url))
    return shape


def organization_id(listing: PublicListing) -> str:
    return stable_id("organization", listing.provider_id)


def organization(listing: PublicListing) -> dict[str, Any]:
    """The micro-provider as the organization that runs its one service."""
    shape: dict[str, Any] = without_nulls(
        {
            "id": organization_id(listing),
            # The organization's plain fields, as the listing's field specification places them.
            **{
                place.removeprefix("organization."): getattr(listing, f.name)
                for f in PUBLIC_FIELDS
                for place in f.oruk
                if place.startswith("organization.")
            },
        }
    )
    return shape


def location_id(district: str) -> str:
    """A covered postcode district's location: one per district, shared by every service
    covering it."""
    return stable_id("location", district)


def service_at_location_id(listing: PublicListing, district: str) -> str:
    return stable_id("service_at_location", listing.provider_id, district)


def service_summary(service_shape: dict[str, Any]) -> dict[str, Any]:
    """A service's one-to-one fields (and its organization), as lists of other records give
    it: the parts that are lists of their own are left to /services/{id}."""
    return {k: v for k, v in service_shape.items() if not isinstance(v, list)}


def _service(listing: PublicListing, profile_url: str) -> dict[str, Any]:
    pid = str(listing.provider_id)
    terms = {t.key: t for t in all_service_types()}
    organization_shape = organization(listing)
    schedules = []
    # One weekly schedule per time of day, on the days the listing works at that time.
    for time in TIMES:
        days = [day_of(s) for s in listing.availability if time_of(s) == time]
        if not days:
            continue
        opens, closes = _HOURS[time]
        schedules.append(
            {
                "id": stable_id("schedule", pid, time),
                "service_id": pid,
                "freq": "WEEKLY",
                "byday": ",".join(_BYDAY[d] for d in days),
                "opens_at": opens,
                "closes_at": closes,
                "description": f"{time.capitalize()}: {', '.join(_DAY_NAMES[d] for d in days)}",
            }
        )
    return {
        "id": pid,
        "organization_id": organization_shape["id"],
        "name": listing.name,
        "description": listing.description,
        "url": profile_url,
        "email": listing.email,
        "status": "active",
        "fees_description": None
        if listing.price_per_hour is not None
        else "Ask the provider about prices.",
        "assured_date": listing.assured_on.isoformat() if listing.assured_on else None,
        "alert": intake_alert(listing),
        "last_modified": timestamp(listing.updated_at),
        "organization": organization_shape,
        "service_areas": [
            {
                "id": stable_id("service_area", pid, district),
                "service_id": pid,
                "name": district,
                "description": f"Postcode district {district}",
                # HSDS's extent types are geojson, topojson, kml and (for plain descriptions)
                # text: the extent is the district's code, as text.
                "extent_type": "text",
                "extent": district,
            }
            for district in listing.areas_covered
        ],
        # Each covered district as the place the service is given (see /service_at_locations).
        "service_at_locations": [
            {
                "id": service_at_location_id(listing, district),
                "service_id": pid,
                "location_id": location_id(district),
            }
            for district in listing.areas_covered
        ],
        "languages": [
            {
                "id": stable_id("language", pid, code),
                "service_id": pid,
                "name": english_language_name(code),
                "code": code,
            }
            for code in listing.languages
        ],
        "schedules": schedules,
        "cost_options": [
            {
                "id": stable_id("cost_option", pid),
                "service_id": pid,
                "amount": float(listing.price_per_hour),
                "currency": "GBP",
                "amount_description": "per hour",
            }
        ]
        if listing.price_per_hour is not None
        else [],
        "contacts": [
            {
                "id": stable_id("contact", pid),
                "service_id": pid,
                "name": listing.contact_name,
                "email": listing.email,
                "phones": [{"id": stable_id("phone", pid), "number": listing.phone}]
                if listing.phone
                else [],
            }
        ],
        "attributes": [
            {
                "id": stable_id("attribute", pid, key),
                "link_id": pid,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": term_id(key),
                "taxonomy_term": taxonomy_term(terms[key]),
            }
            for key in listing.services
            if key in terms
        ],
        "eligibility_description": "Self-directed Support options: "
        + (", ".join(listing.sds_options) if listing.sds_options else "not stated"),
    }


def timestamp(moment: datetime) -> str:
    """A moment as the profile writes one (2026-12-03T15:30:02.123456Z): in UTC with a "Z",
    so a client can send it back as `modified_after` without escaping a "+"."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def page_envelope(
    contents: list[dict[str, Any]], *, total: int, page: int, per_page: int
) -> dict[str, Any]:
    total_pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def service_info(base_url: str) -> dict[str, Any]:
    return {
        "version": "3.0",
        # The profile's own documents (its schemas and openapi.json), not the project's home page.
        "profile": UK_PROFILE,
        "openapi_url": base_url + "openapi.json",
    }


def parse_service_id(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


_INTAKE_ALERTS = {
    Intake.TAKING.value: "Taking on new people",
    Intake.WAITING_LIST.value: "Has a waiting list for new people",
    Intake.FULL.value: "Full: not taking on new people",
}


def intake_alert(listing: PublicListing) -> str | None:
    """ORUK's `alert` (short-term news about the service): whether they take on new people,
    in English like the rest of the API, with the day they said it."""
    if not listing.intake or listing.intake not in _INTAKE_ALERTS:
        return None
    alert = _INTAKE_ALERTS[listing.intake]
    if listing.intake == Intake.FULL.value and listing.intake_until is not None:
        alert += f" until {listing.intake_until.isoformat()}"
    if listing.intake_on is not None:
        alert += f" (as of {listing.intake_on.isoformat()})"
    return alert
