"""ORUK locations and services at locations for Cairn's listings.

A micro-provider comes to people's homes across the postcode districts it covers, so each
covered district is a `location` (placed at the district's centre, from the district data Cairn
ships) and each service × district a `service_at_location`. Ids are stable: derived from the
district, and from the provider and district."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cairn.domain.directory.listing import PublicListing
from cairn.domain.geo.districts import METRES_PER_MILE, District
from cairn.web.api.oruk import (
    location_id,
    service_at_location_id,
    service_summary,
    without_nulls,
)


@dataclass(frozen=True)
class Where:
    """Which of a listing's districts a list asks for: the one district searched (`postcode`),
    those within `metres` of its centre (`proximity`), or every one (neither)."""

    district: str | None = None
    metres: int | None = None

    def districts_of(self, listing: PublicListing, centres: Mapping[str, District]) -> list[str]:
        if self.district is None:
            return list(listing.areas_covered)
        if self.metres is None:
            return [self.district] if self.district in listing.areas_covered else []
        centre = centres[self.district]
        near = [
            (centre.miles_to(centres[code]) * METRES_PER_MILE, code)
            for code in listing.areas_covered
            if code in centres
        ]
        # Nearest first, as the search orders the listings.
        return [code for metres, code in sorted(near) if metres <= self.metres]


def location(code: str, district: District | None) -> dict[str, Any]:
    town = f" ({district.town})" if district and district.town else ""
    shape: dict[str, Any] = without_nulls(
        {
            "id": location_id(code),
            # The service is given in people's homes across the district: a physical place,
            # though not an address.
            "location_type": "physical",
            "name": f"Postcode district {code}{town}",
            "description": f"Postcode district {code}. The coordinates are the district's "
            "centre; the service comes to people's homes anywhere in the district.",
            "latitude": district.latitude if district else None,
            "longitude": district.longitude if district else None,
        }
    )
    return shape


def service_at_location(
    listing: PublicListing,
    code: str,
    district: District | None,
    service_shape: dict[str, Any],
    *,
    whole: bool,
) -> dict[str, Any]:
    """The service at one covered district: with the whole service (`whole`, for
    /service_at_locations/{id}) or its one-to-one fields (for the list)."""
    return {
        "id": service_at_location_id(listing, code),
        "service_id": str(listing.provider_id),
        "location_id": location_id(code),
        "service": service_shape if whole else service_summary(service_shape),
        "location": location(code, district),
    }
