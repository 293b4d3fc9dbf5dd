"""Coverage and gaps for the CIC: every district of the council areas it serves, how many
listed providers cover each for each service, the applications waiting that would cover it,
and the unmet demand recorded there.

The council areas served are those where the CIC already has a listed provider or an
application waiting (docs/providers.md, "Coverage"): a gap is a district of one of those
areas with nobody, so a district no one has applied for still shows, as 0."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, select

from cairn.domain.directory.lifecycle import Status
from cairn.domain.geo.districts import District
from cairn.readmodels.directory.providers import providers
from cairn.readmodels.directory.queries import OPEN_STATUSES


@dataclass(frozen=True)
class DistrictCoverage:
    district: District
    providers: int  # listed providers covering it, any service
    services: Mapping[str, int]  # service key -> listed providers offering it here
    pending: int  # applications waiting that would cover it
    demand: int  # searches here that found nobody
    other: int = 0  # other organisations' services here (councils, NHS, third sector)

    @property
    def code(self) -> str:
        return self.district.code

    def count(self, service: str) -> int:
        return self.services.get(service, 0)


@dataclass(frozen=True)
class AreaCoverage:
    council: str
    districts: list[DistrictCoverage]
    providers: int  # distinct listed providers covering any district of the area
    services: Mapping[str, int]  # distinct providers offering each service in the area
    pending: int
    demand: int
    other: int = 0  # distinct other services serving any district of the area

    @property
    def gaps(self) -> int:
        """Districts with no listed provider at all."""
        return sum(1 for d in self.districts if not d.providers)

    def count(self, service: str) -> int:
        return self.services.get(service, 0)


@dataclass(frozen=True)
class CoverageBoard:
    services: list[str]
    areas: list[AreaCoverage]

    @property
    def districts(self) -> list[DistrictCoverage]:
        return [d for area in self.areas for d in area.districts]


@dataclass(frozen=True)
class _Offer:
    provider_id: UUID
    areas: tuple[str, ...]
    services: tuple[str, ...]


def coverage_board(
    engine: Engine,
    districts: Mapping[str, District],
    service_keys: list[str],
    demand: Mapping[str, int],
    other: Mapping[str, frozenset[Any]] | None = None,
) -> CoverageBoard:
    """The board for the council areas served; `districts` is the geo data, `demand` the
    searches that found nobody per district (the enquiries read model's), `other` the other
    organisations' services serving each district (other_provision_by_district)."""
    with engine.connect() as conn:
        listed = _offers(
            conn.execute(
                select(providers.c.id, providers.c.areas_covered, providers.c.services).where(
                    providers.c.status == Status.APPROVED.value,
                    providers.c.hidden_reason.is_(None),
                )
            )
        )
        waiting = _offers(
            conn.execute(
                select(providers.c.id, providers.c.areas_covered, providers.c.services).where(
                    providers.c.status.in_(OPEN_STATUSES)
                )
            )
        )
    councils = {
        districts[code].council
        for offer in (*listed, *waiting)
        for code in offer.areas
        if code in districts and districts[code].in_scotland and districts[code].council
    }
    by_council: dict[str, list[District]] = {}
    for d in districts.values():
        if d.in_scotland and d.council in councils:
            by_council.setdefault(d.council, []).append(d)
    areas = [
        _area(council, by_council[council], listed, waiting, service_keys, demand, other or {})
        for council in sorted(by_council)
    ]
    return CoverageBoard(services=service_keys, areas=areas)


def _offers(rows: Iterable[Any]) -> list[_Offer]:
    return [_Offer(r.id, tuple(r.areas_covered or ()), tuple(r.services or ())) for r in rows]


def _area(
    council: str,
    members: list[District],
    listed: list[_Offer],
    waiting: list[_Offer],
    service_keys: list[str],
    demand: Mapping[str, int],
    other: Mapping[str, frozenset[Any]],
) -> AreaCoverage:
    codes = {d.code for d in members}
    here = [o for o in listed if codes.intersection(o.areas)]
    rows = [
        DistrictCoverage(
            district=d,
            providers=sum(1 for o in here if d.code in o.areas),
            services=Counter(s for o in here if d.code in o.areas for s in o.services),
            pending=sum(1 for o in waiting if d.code in o.areas),
            demand=demand.get(d.code, 0),
            other=len(other.get(d.code, ())),
        )
        for d in sorted(members, key=lambda d: district_sort_key(d.code))
    ]
    return AreaCoverage(
        council=council,
        districts=rows,
        providers=len(here),
        services=Counter(s for o in here for s in o.services if s in service_keys),
        pending=sum(1 for o in waiting if codes.intersection(o.areas)),
        demand=sum(r.demand for r in rows),
        other=len(frozenset().union(*(other.get(code, frozenset()) for code in codes))),
    )


def district_sort_key(district: str) -> tuple[str, int, str]:
    """KA7 before KA10: letters, then the number, then anything after."""
    match = re.fullmatch(r"([A-Z]+)([0-9]+)(.*)", district)
    if match is None:
        return district, 0, ""
    return match[1], int(match[2]), match[3]
