"""Claims to look after a listing, for the CIC to approve or decline (domain: claim.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import Column, Connection, DateTime, Engine, String, Table, Text, Uuid, select

from cairn.domain.directory.claim import ListingClaim
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata
from cairn.readmodels.directory.providers import providers

listing_claims = Table(
    "listing_claims",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("provider_id", Uuid, nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("note", Text, nullable=False),
    Column("made_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True)),
    Column("decision", String(20)),  # approved / declined
)


class ListingClaimsProjection(BatchedProjection):
    name = "listing-claims"
    tables = (listing_claims,)

    @handles(ListingClaim.Made)
    def made(self, conn: Connection, e: ListingClaim.Made, position: int) -> None:
        self.rows.insert(
            listing_claims,
            dict(
                id=e.originator_id,
                provider_id=e.provider_id,
                name=e.name,
                email=e.email,
                note=e.note,
                made_at=e.timestamp,
                decided_at=None,
                decision=None,
            ),
        )

    @handles(ListingClaim.Approved)
    def approved(self, conn: Connection, e: ListingClaim.Approved, position: int) -> None:
        self.rows.update(
            listing_claims, e.originator_id, {"decided_at": e.timestamp, "decision": "approved"}
        )

    @handles(ListingClaim.Declined)
    def declined(self, conn: Connection, e: ListingClaim.Declined, position: int) -> None:
        self.rows.update(
            listing_claims, e.originator_id, {"decided_at": e.timestamp, "decision": "declined"}
        )


@dataclass(frozen=True)
class OpenClaim:
    id: UUID
    provider_id: UUID
    business: str
    listing_email: str
    name: str
    email: str
    note: str
    made_at: datetime


def open_claims(engine: Engine) -> list[OpenClaim]:
    """Claims waiting for the CIC, the oldest first, with the listing's own email beside."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                listing_claims,
                providers.c.name.label("business"),
                providers.c.email.label("listing_email"),
            )
            .join(providers, providers.c.id == listing_claims.c.provider_id)
            .where(listing_claims.c.decision.is_(None))
            .order_by(listing_claims.c.made_at)
        ).all()
    return [
        OpenClaim(
            r.id, r.provider_id, r.business, r.listing_email, r.name, r.email, r.note, r.made_at
        )
        for r in rows
    ]
