"""District centres from the ONS Postcode Directory (ONSPD), the official free source.

ONSPD has one row per postcode (about 2.7 million). A district's centre is the mean of its live
postcodes' grid references; its council area is the one most of them lie in. ONSPD names no
towns, so the towns are kept from the districts already known (the file being replaced)."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO

from cairn.domain.geo.districts import District, GeoDataError, checked, district_code

REQUIRED = ("oseast1m", "osnrth1m", "lat", "long", "oslaua", "ctry")
# One of these holds the postcode: pcds is "KA7 1AA"; pcd and pcd2 pad the outward code.
POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2")

COUNTRIES = {
    "S92000003": "Scotland",
    "E92000001": "England",
    "W92000004": "Wales",
    "N92000002": "Northern Ireland",
    "L93000001": "Channel Islands",
    "M83000003": "Isle of Man",
}

# Scotland's 32 council areas by ONS code, named as outcodes.csv names them. Codes retired by
# boundary changes (Fife, Perth and Kinross in 2018; Glasgow, North Lanarkshire in 2019;
# East Dunbartonshire earlier) are kept so an older directory still reads.
SCOTTISH_COUNCILS = {
    "S12000005": "Clackmannanshire",
    "S12000006": "Dumfries and Galloway",
    "S12000008": "East Ayrshire",
    "S12000009": "East Dunbartonshire",
    "S12000010": "East Lothian",
    "S12000011": "East Renfrewshire",
    "S12000013": "Eilean Siar",
    "S12000014": "Falkirk",
    "S12000015": "Fife",
    "S12000017": "Highland",
    "S12000018": "Inverclyde",
    "S12000019": "Midlothian",
    "S12000020": "Moray",
    "S12000021": "North Ayrshire",
    "S12000023": "Orkney Islands",
    "S12000024": "Perth and Kinross",
    "S12000026": "The Scottish Borders",
    "S12000027": "Shetland Islands",
    "S12000028": "South Ayrshire",
    "S12000029": "South Lanarkshire",
    "S12000030": "Stirling",
    "S12000033": "Aberdeen City",
    "S12000034": "Aberdeenshire",
    "S12000035": "Argyll and Bute",
    "S12000036": "City of Edinburgh",
    "S12000038": "Renfrewshire",
    "S12000039": "West Dunbartonshire",
    "S12000040": "West Lothian",
    "S12000041": "Angus",
    "S12000042": "Dundee City",
    "S12000044": "North Lanarkshire",
    "S12000045": "East Dunbartonshire",
    "S12000046": "Glasgow City",
    "S12000047": "Fife",
    "S12000048": "Perth and Kinross",
    "S12000049": "Glasgow City",
    "S12000050": "North Lanarkshire",
}


def is_onspd_header(columns: list[str]) -> bool:
    names = {c.strip().lower() for c in columns}
    return "oseast1m" in names and any(c in names for c in POSTCODE_COLUMNS)


@dataclass
class _Sums:
    count: int = 0
    easting: float = 0.0
    northing: float = 0.0
    latitude: float = 0.0
    longitude: float = 0.0
    councils: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)


def read_onspd(stream: IO[str], known: Mapping[str, District]) -> dict[str, District]:
    """District centres from an ONSPD CSV; towns (and council names outside Scotland) come
    from `known`, the districts in use now."""
    reader = csv.DictReader(stream)
    header = [c.strip().lower() for c in (reader.fieldnames or ())]
    reader.fieldnames = header
    postcode_column = next((c for c in POSTCODE_COLUMNS if c in header), None)
    missing = [c for c in REQUIRED if c not in header]
    if postcode_column is None or missing:
        raise GeoDataError(
            "the header lacks the ONSPD column(s) "
            + ", ".join([*missing, *([] if postcode_column else ["pcds"])])
        )
    sums: dict[str, _Sums] = {}
    for line, row in enumerate(reader, start=2):
        if (row.get("doterm") or "").strip() or (row.get("osgrdind") or "").strip() == "9":
            continue  # terminated, or no grid reference
        raw_postcode = (row.get(postcode_column) or "").strip()
        if not raw_postcode:
            continue
        outward = raw_postcode[:-3].strip() if len(raw_postcode) > 4 else raw_postcode
        code = district_code(outward, line)
        try:
            easting, northing = float(row["oseast1m"]), float(row["osnrth1m"])
            latitude, longitude = float(row["lat"]), float(row["long"])
        except (TypeError, ValueError):
            continue  # ONSPD leaves the grid blank for some postcodes
        if latitude > 90:  # ONSPD's 99.999999: no position
            continue
        into = sums.setdefault(code, _Sums())
        into.count += 1
        into.easting += easting
        into.northing += northing
        into.latitude += latitude
        into.longitude += longitude
        into.councils[(row.get("oslaua") or "").strip()] += 1
        into.countries[(row.get("ctry") or "").strip()] += 1
    if not sums:
        raise GeoDataError("the file has no live postcode with a grid reference")
    return checked(_district(code, s, known.get(code)) for code, s in sums.items())


def _district(code: str, sums: _Sums, before: District | None) -> District:
    council_code = sums.councils.most_common(1)[0][0]
    country_code = sums.countries.most_common(1)[0][0]
    council = SCOTTISH_COUNCILS.get(council_code) or (before.council if before else council_code)
    return District(
        code=code,
        easting=round(sums.easting / sums.count, -2),
        northing=round(sums.northing / sums.count, -2),
        latitude=round(sums.latitude / sums.count, 5),
        longitude=round(sums.longitude / sums.count, 5),
        town=before.town if before else "",
        council=council,
        country=COUNTRIES.get(country_code, before.country if before else country_code),
    )
