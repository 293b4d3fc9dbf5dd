"""Other organisations' services, by source and by district, for the coverage board: how
many services other than the CIC's providers are offered in each district, and which."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    select,
)

from cairn.domain.directory.other_provision import ProvisionSource
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

provision_sources = Table(
    "provision_sources",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("file_kind", String(10), nullable=False),
    Column("services", Integer, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", Uuid, nullable=False),
)

other_services = Table(
    "other_services",
    metadata,
    Column("source_id", Uuid, primary_key=True),
    Column("n", Integer, primary_key=True, autoincrement=False),  # its place in the source
    Column("organisation", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("service_types", JSON, nullable=False),
    Column("districts", JSON, nullable=False),
)

# One row per service and district it serves: the board counts a district's rows.
other_service_districts = Table(
    "other_service_districts",
    metadata,
    Column("source_id", Uuid, primary_key=True),
    Column("n", Integer, primary_key=True, autoincrement=False),
    Column("district", String(8), primary_key=True),
    Index("ix_other_service_districts_district", "district"),
)


class OtherProvisionProjection(BatchedProjection):
    name = "other_provision"
    tables = (provision_sources, other_services, other_service_districts)

    @handles(ProvisionSource.Loaded)
    def loaded(self, conn: Connection, e: ProvisionSource.Loaded, position: int) -> None:
        source = e.originator_id
        self.rows.replace(
            provision_sources,
            dict(
                id=source,
                name=e.source_name,
                file_kind=e.file_kind,
                services=len(e.services),
                loaded_at=e.timestamp,
                loaded_by=e.by,
            ),
        )
        self.rows.replace_set(
            other_services,
            "source_id",
            source,
            [
                dict(
                    source_id=source,
                    n=n,
                    organisation=s["organisation"],
                    name=s["name"],
                    url=s.get("url", ""),
                    service_types=list(s.get("service_types", ())),
                    districts=list(s["districts"]),
                )
                for n, s in enumerate(e.services)
            ],
        )
        self.rows.replace_set(
            other_service_districts,
            "source_id",
            source,
            [
                dict(source_id=source, n=n, district=d)
                for n, s in enumerate(e.services)
                for d in dict.fromkeys(s["districts"])
            ],
        )

    @handles(ProvisionSource.Removed)
    def removed(self, conn: Connection, e: ProvisionSource.Removed, position: int) -> None:
        self.rows.delete(provision_sources, e.originator_id)
        self.rows.replace_set(other_services, "source_id", e.originator_id, [])
        self.rows.replace_set(other_service_districts, "source_id", e.originator_id, [])


# -- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    id: UUID
    name: str
    file_kind: str
    services: int
    loaded_at: datetime


@dataclass(frozen=True)
class OtherServiceRow:
    source: str
    organisation: str
    name: str
    url: str
    service_types: tuple[str, ...]


def provision_source_rows(engine: Engine) -> list[SourceRow]:
    with engine.connect() as conn:
        rows = conn.execute(select(provision_sources).order_by(provision_sources.c.name))
        return [SourceRow(r.id, r.name, r.file_kind, r.services, r.loaded_at) for r in rows]


def other_provision_by_district(engine: Engine) -> Mapping[str, frozenset[tuple[UUID, int]]]:
    """The other organisations' services serving each district (each as source and place in
    it, so an area's total counts a service serving several of its districts once)."""
    d = other_service_districts
    found: dict[str, set[tuple[UUID, int]]] = defaultdict(set)
    with engine.connect() as conn:
        for row in conn.execute(select(d.c.district, d.c.source_id, d.c.n)):
            found[row.district].add((row.source_id, row.n))
    return {district: frozenset(keys) for district, keys in found.items()}


def other_services_in(engine: Engine, district: str) -> list[OtherServiceRow]:
    """The other services serving a district, by organisation and name."""
    s, d, src = other_services, other_service_districts, provision_sources
    query = (
        select(src.c.name.label("source"), s.c.organisation, s.c.name, s.c.url, s.c.service_types)
        .join(d, (d.c.source_id == s.c.source_id) & (d.c.n == s.c.n))
        .join(src, src.c.id == s.c.source_id)
        .where(d.c.district == district)
    )
    with engine.connect() as conn:
        rows = [
            OtherServiceRow(r.source, r.organisation, r.name, r.url, tuple(r.service_types))
            for r in conn.execute(query)
        ]
    return sorted(rows, key=lambda r: (r.organisation.casefold(), r.name.casefold(), r.source))
