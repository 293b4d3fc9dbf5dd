"""Reading a district file of either shape: Cairn's `outcodes.csv` or the ONSPD CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

from cairn.domain.geo.districts import District, GeoDataError, read_outcodes
from cairn.domain.geo.onspd import is_onspd_header, read_onspd

MAX_HEADER_BYTES = 64_000


def read_district_file(path: Path, known: Mapping[str, District]) -> dict[str, District]:
    """The districts in `path`, checked; GeoDataError names the first problem. `known` (the
    districts in use) gives the towns an ONSPD file lacks."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            first = stream.readline(MAX_HEADER_BYTES)
            header = next(csv.reader(io.StringIO(first)), [])
            stream.seek(0)
            if is_onspd_header(header):
                return read_onspd(stream, known)
            if "district" in header:
                return read_outcodes(stream)
    except UnicodeDecodeError:
        raise GeoDataError("the file is not UTF-8 text") from None
    except csv.Error as error:
        raise GeoDataError(f"the file is not a readable CSV ({error})") from None
    raise GeoDataError(
        "the file is neither outcodes.csv (district, easting, northing, latitude, longitude, "
        "town, county, country) nor the ONS Postcode Directory (pcds, oseast1m, osnrth1m, ...)"
    )
