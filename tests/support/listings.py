"""Public listings made in memory for search tests: every field set, the test names the ones
it is about."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from cairn.domain.directory.listing import PublicListing


def public_listing(n: int, name: str, **fields: Any) -> PublicListing:
    """Listing number `n` (its id is UUID(int=n)), offering personal care in KA7 on Monday
    mornings unless `fields` say otherwise."""
    values: dict[str, Any] = {
        "provider_id": UUID(int=n),
        "name": name,
        "description": "Friendly help at home.",
        "description_language": "en",
        "services": ("personal-care",),
        "district": "KA7",
        "areas_covered": ("KA7",),
        "availability": ("mon-morning",),
        "sds_options": ("1",),
        "languages": ("en",),
        "price_per_hour": None,
        "contact_name": "Pat",
        "email": f"p{n}@cairn.example",
        "phone": None,
        "website": None,
        "pvg_checked_on": None,
        "insurance_expires_on": None,
        "training": (),
        "last_confirmed_on": None,
        "assured_on": None,
        "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    values.update(fields)
    return PublicListing(**values)
