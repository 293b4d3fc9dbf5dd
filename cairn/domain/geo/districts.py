"""Postcode district centres: reading, checking and writing the `outcodes.csv` shape.

A district's centre is a point on the Ordnance Survey National Grid (metres), so the distance
between two districts is plain geometry: over Great Britain the grid's scale error is under
0.04%, far finer than "about 3 miles" needs."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import IO

from cairn.domain.validation import Invalid, normalise_district

COLUMNS = ("district", "easting", "northing", "latitude", "longitude", "town", "county", "country")
SCOTLAND = "Scotland"
METRES_PER_MILE = 1609.344
ATTRIBUTION = "Contains OS data © Crown copyright and database right"

# The National Grid's extent, and latitude/longitude around the UK and the Crown Dependencies.
_EASTING = (0.0, 700_000.0)
_NORTHING = (-100_000.0, 1_300_000.0)  # the grid extended south over the Channel Islands
_LATITUDE = (49.0, 61.0)
_LONGITUDE = (-9.0, 2.0)


class GeoDataError(Exception):
    """A district file we cannot use; `str()` says where and why."""


@dataclass(frozen=True, slots=True)
class District:
    code: str  # "KA7"
    easting: float  # metres on the OS National Grid
    northing: float
    latitude: float
    longitude: float
    town: str  # the main town, "" when the data names none
    council: str  # the council area (a county outside Scotland) it mostly lies in
    country: str

    @property
    def in_scotland(self) -> bool:
        return self.country == SCOTLAND

    def miles_to(self, other: District) -> float:
        return math.hypot(self.easting - other.easting, self.northing - other.northing) / (
            METRES_PER_MILE
        )


def _number(row: dict[str, str], column: str, bounds: tuple[float, float], line: int) -> float:
    raw = (row.get(column) or "").strip()
    try:
        value = float(raw)
    except ValueError:
        raise GeoDataError(f"line {line}: {column} {raw[:20]!r} is not a number") from None
    if not (bounds[0] <= value <= bounds[1]) or math.isnan(value):
        raise GeoDataError(f"line {line}: {column} {value} is outside the UK")
    return value


def district_code(raw: str, line: int) -> str:
    try:
        return normalise_district(raw)
    except Invalid:
        raise GeoDataError(f"line {line}: {raw[:20]!r} is not a postcode district") from None


def checked(districts: Iterable[District]) -> dict[str, District]:
    """The districts by code, refusing repeats and a file with nothing in Scotland."""
    by_code: dict[str, District] = {}
    for district in districts:
        if district.code in by_code:
            raise GeoDataError(f"district {district.code} appears more than once")
        by_code[district.code] = district
    if not any(d.in_scotland for d in by_code.values()):
        raise GeoDataError("the file has no district in Scotland")
    return by_code


def read_outcodes(stream: IO[str]) -> dict[str, District]:
    """Districts from a CSV with the COLUMNS header (any order; extra columns ignored)."""
    reader = csv.DictReader(stream)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise GeoDataError(f"the header lacks the column(s) {', '.join(missing)}")
    return checked(_rows(reader))


def _rows(reader: csv.DictReader[str]) -> Iterator[District]:
    for line, row in enumerate(reader, start=2):
        yield District(
            code=district_code(row.get("district") or "", line),
            easting=_number(row, "easting", _EASTING, line),
            northing=_number(row, "northing", _NORTHING, line),
            latitude=_number(row, "latitude", _LATITUDE, line),
            longitude=_number(row, "longitude", _LONGITUDE, line),
            town=(row.get("town") or "").strip(),
            council=(row.get("county") or "").strip(),
            country=(row.get("country") or "").strip(),
        )


def write_outcodes(districts: Iterable[District], stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for d in sorted(districts, key=lambda d: d.code):
        writer.writerow(
            [
                d.code,
                f"{d.easting:.0f}",
                f"{d.northing:.0f}",
                f"{d.latitude:.5f}",
                f"{d.longitude:.5f}",
                d.town,
                d.council,
                d.country,
            ]
        )


@cache
def packaged_districts() -> dict[str, District]:
    """The copy shipped with Cairn; a broken copy is a bug in the release, so it fails loudly."""
    text = resources.files("cairn.domain").joinpath("data/outcodes.csv").read_text("utf-8-sig")
    return read_outcodes(io.StringIO(text, newline=""))
