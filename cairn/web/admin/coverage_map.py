"""The coverage map: each district a circle placed by its OS grid centre, shaded by how many
listed providers cover it. Drawn as inline SVG by the page, from numbers made here: no map
tiles, no outside requests. The table beside it is its accessible equivalent."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from cairn.readmodels.directory.coverage import DistrictCoverage

SIZE = 560  # the drawing's longer side, in its own units
MARGIN = 20  # room for a circle at the edge
LABEL_WIDTH = 44  # and, on the right, for its label
# A circle's radius: large when few districts are drawn, small when many.
RADIUS_RANGE = (5, 12)


@dataclass(frozen=True)
class Shade:
    key: str
    label: object  # a lazy translation
    fill: str
    stroke: str
    least: int  # the fewest providers this shade stands for


# Gaps stand out by their outline as well as their fill, so the map reads without colour too.
SHADES = (
    Shade("none", _l("No provider"), "#ffffff", "#b3261e", 0),
    Shade("one", _l("1 provider"), "#c6dbef", "#333333", 1),
    Shade("few", _l("2 or 3 providers"), "#6baed6", "#333333", 2),
    Shade("many", _l("4 or more providers"), "#08519c", "#333333", 4),
)


@dataclass(frozen=True)
class Spot:
    code: str
    town: str
    x: float
    y: float
    shade: Shade
    providers: int
    labelled: bool = True


@dataclass(frozen=True)
class CoverageMap:
    width: float
    height: float
    spots: list[Spot]
    radius: int = RADIUS_RANGE[0]
    shades: tuple[Shade, ...] = SHADES


def shade_for(providers: int) -> Shade:
    return [s for s in SHADES if providers >= s.least][-1]


def coverage_map(districts: list[DistrictCoverage]) -> CoverageMap:
    """North up and east right, one scale for both axes so distances look true."""
    if not districts:
        return CoverageMap(0, 0, [])
    eastings = [d.district.easting for d in districts]
    northings = [d.district.northing for d in districts]
    west, east = min(eastings), max(eastings)
    south, north = min(northings), max(northings)
    span = max(east - west, north - south) or 1.0
    scale = (SIZE - 2 * MARGIN - LABEL_WIDTH) / span
    low, high = RADIUS_RANGE
    radius = max(low, min(high, round(SIZE / (8 * math.sqrt(len(districts))))))
    placed = [
        Spot(
            code=d.code,
            town=d.district.town,
            x=round(MARGIN + (d.district.easting - west) * scale, 1),
            y=round(MARGIN + (north - d.district.northing) * scale, 1),
            shade=shade_for(d.providers),
            providers=d.providers,
        )
        for d in districts
    ]
    spots = [
        Spot(s.code, s.town, s.x, s.y, s.shade, s.providers, _has_room(s, placed, radius))
        for s in placed
    ]
    return CoverageMap(
        width=round((east - west) * scale + 2 * MARGIN + LABEL_WIDTH, 1),
        height=round((north - south) * scale + 2 * MARGIN, 1),
        spots=spots,
        radius=radius,
    )


def _has_room(spot: Spot, spots: list[Spot], radius: int) -> bool:
    """Labelled only if no other circle sits in or beside the label's band to its right."""
    tall, wide = max(14, 2 * radius), 2 * radius + LABEL_WIDTH
    return all(
        other is spot or abs(other.y - spot.y) >= tall or abs(other.x - spot.x) >= wide
        for other in spots
    )
