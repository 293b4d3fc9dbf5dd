"""Which provider has which email, without the email in the provider's id.

A provider's id used to be a uuid5 of its email, so anyone could work out the id of any
email and ask the site about it. New providers get random ids; this index aggregate keeps
each email to one provider instead. Its own id is derived from the email (that is what
makes a second claim on one email collide in the event store, even when two applications
race), but it is never shown in a URL or page: only the provider's random id is. Its one
event holds the provider's id and nothing else: not the email.

Providers from before keep their uuid5 ids and have no claim; `provider_for_email` looks
for a claim first and then for such an id."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

if TYPE_CHECKING:
    from cairn.domain.store import Store


class ProviderEmailClaim(Aggregate):
    class Claimed(Aggregate.Created):
        provider_id: UUID

    @event(Claimed)
    def __init__(self, id: UUID, provider_id: UUID) -> None:
        # `id` (from claim_id_for) becomes the aggregate's id, not an attribute of the event.
        self.provider_id = provider_id


def provider_id_for(email: str) -> UUID:
    """The id providers had before ids were random: a uuid5 of the email (any case). Only to
    find those providers by email; new providers get random ids and an email claim
    (cairn.domain.directory.email_index), so an id says nothing about an email."""
    return uuid5(NAMESPACE_URL, "cairn:provider-email:" + email.strip().lower())


def claim_id_for(email: str) -> UUID:
    return uuid5(NAMESPACE_URL, "cairn:provider-email-claim:" + email.strip().lower())


def claim_email(email: str, provider_id: UUID) -> ProviderEmailClaim:
    return ProviderEmailClaim(id=claim_id_for(email), provider_id=provider_id)


def provider_for_email(store: Store, email: str) -> UUID | None:
    """The provider with this email: through its claim, or (for a provider from before
    random ids) the id that was derived from the email."""
    claim = claim_id_for(email)
    if store.exists(claim):
        return store.load(ProviderEmailClaim, claim).provider_id
    legacy = provider_id_for(email)
    return legacy if store.exists(legacy) else None
