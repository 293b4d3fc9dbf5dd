"""What the public may see of a provider: its listing while approved and shown, else nothing.

`Provider.public_listing()` is the only rule for it; this is its body, apart from the
aggregate's state changes."""

from __future__ import annotations

from cairn.domain.directory.lifecycle import Status
from cairn.domain.directory.listing import PublicListing, TrainingRecord
from cairn.domain.directory.provider import Provider, district_of


def public_listing_of(provider: Provider) -> PublicListing | None:
    """The listing the public may see now, or None if the provider is not listed."""
    if provider.status != Status.APPROVED or provider.hidden_reason is not None:
        return None
    assured = [d for d in (provider.last_checked_on, provider.last_confirmed_on) if d is not None]
    return PublicListing(
        provider_id=provider.id,
        name=provider.name,
        description=provider.description,
        services=provider.services,
        district=district_of(provider.postcode),
        areas_covered=provider.areas_covered,
        availability=provider.availability,
        sds_options=provider.sds_options,
        languages=provider.languages,
        price_per_hour=provider.price_per_hour,
        contact_name=provider.contact_name,
        email=provider.email,
        phone=provider.phone,
        website=provider.website,
        pvg_checked_on=provider.pvg_checked_on,
        insurance_expires_on=provider.insurance_expires_on,
        training=tuple(
            TrainingRecord(course=course, completed_on=completed)
            for course, completed in provider.training.items()
        ),
        last_confirmed_on=provider.last_confirmed_on,
        assured_on=max(assured) if assured else None,
        updated_at=provider.modified_on,
    )
