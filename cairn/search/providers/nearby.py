"""How far listings are from a place, worked out per district, never per listing.

A listing is as far as the nearest district it covers. So one distance per district with
listings (a few hundred numbers, from the district centres) answers everything: the listings
within a radius are the OR of the bitsets of the districts within it, and nearest-first order
is the districts in order of distance, each district's listings (not taken by a nearer one) in
name order."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np
import numpy.typing as npt

from cairn.domain.geo.districts import METRES_PER_MILE
from cairn.domain.geo.places import Gazetteer, Place

# A page of one bitset's documents in name order: (mask, start, size) -> docnums.
PageOf = Callable[[int, int, int], list[int]]
# A few documents put in the same name order.
NameOrder = Callable[[list[int]], list[int]]
# A district's matches up to this many are listed bit by bit and sorted; more go to PageOf,
# which reads the whole bitset once (about 0.1 ms at 100k listings, whatever it holds).
FEW = 64


@dataclass(frozen=True)
class Nearness:
    """How far one listing is from the place searched: its nearest covered district."""

    miles: float
    district: str
    town: str


@dataclass(frozen=True)
class NearbyDistrict:
    """A district with listings matching the rest of the search, offered when none are near."""

    district: str
    town: str
    miles: float
    count: int


class DistrictTable:
    """One index generation's districts with listings: bitsets and grid positions."""

    def __init__(self, masks: Mapping[str, int], gazetteer: Gazetteer) -> None:
        self.codes = [code for code, mask in masks.items() if mask]
        self.masks = [masks[code] for code in self.codes]
        known = [gazetteer.districts.get(code) for code in self.codes]
        self.east = np.array([d.easting if d else np.nan for d in known], dtype=np.float64)
        self.north = np.array([d.northing if d else np.nan for d in known], dtype=np.float64)
        self.gazetteer = gazetteer

    def proximity(self, place: Place) -> Proximity:
        centres = [self.gazetteer.districts[c] for c in place.districts]
        east = np.array([d.easting for d in centres])[:, None]
        north = np.array([d.northing for d in centres])[:, None]
        metres = np.hypot(self.east[None, :] - east, self.north[None, :] - north).min(axis=0)
        # Districts we have no centre for are never "near": last, and outside every radius.
        miles = np.where(np.isnan(metres), np.inf, metres / METRES_PER_MILE)
        return Proximity(self, miles)


class Proximity:
    """Every district's distance from one place."""

    def __init__(self, table: DistrictTable, miles: npt.NDArray[np.float64]) -> None:
        self.table = table
        self.order: list[int] = np.argsort(miles, kind="stable").tolist()
        self.sorted_miles = miles[self.order]
        self.miles_of = dict(zip(table.codes, miles.tolist(), strict=True))
        self._within: dict[float, int] = {}

    def within(self, radius: float) -> int:
        """The listings covering a district whose centre is within `radius` miles."""
        found = self._within.get(radius)
        if found is None:
            count = int(np.searchsorted(self.sorted_miles, radius, side="right"))
            masks = self.table.masks
            found = reduce(lambda a, b: a | b, (masks[i] for i in self.order[:count]), 0)
            self._within[radius] = found
        return found

    def nearest_first(
        self, matched: int, start: int, size: int, page_of: PageOf, name_order: NameOrder
    ) -> list[int]:
        """A page of `matched` nearest first; listings in districts we cannot place last."""
        wanted: list[tuple[int, int, int]] = []  # (district's matches, skip, take)
        passed = taken = 0  # matched listings in the districts walked so far; on the page
        remaining = matched
        masks = self.table.masks
        for i in self.order:
            if not remaining or taken >= size:
                break
            hit = masks[i] & remaining
            if not hit:
                continue
            remaining ^= hit
            count = hit.bit_count()
            if passed + count > start:
                skip = max(0, start - passed)
                take = min(count - skip, size - taken)
                wanted.append((hit, skip, take))
                taken += take
            passed += count
        if remaining and taken < size:
            wanted.append((remaining, max(0, start - passed), size - taken))
        page: list[int] = []
        for hit, skip, take in wanted:
            if hit.bit_count() <= FEW:
                page += name_order(_members(hit))[skip : skip + take]
            else:
                page += page_of(hit, skip, take)
        return page

    def nearness(self, districts: tuple[str, ...]) -> Nearness | None:
        known = [(self.miles_of[c], c) for c in districts if c in self.miles_of]
        known = [(miles, code) for miles, code in known if miles != np.inf]
        if not known:
            return None
        miles, code = min(known)
        return Nearness(miles, code, self.table.gazetteer.town_of(code))

    def nearest_districts(self, allowed: int, beyond: float, limit: int) -> list[NearbyDistrict]:
        """The nearest districts past `beyond` miles with listings in `allowed`, and how many."""
        found: list[NearbyDistrict] = []
        start = int(np.searchsorted(self.sorted_miles, beyond, side="right"))
        for position in range(start, len(self.order)):
            miles = float(self.sorted_miles[position])
            if len(found) >= limit or miles == np.inf:
                break
            i = self.order[position]
            count = (self.table.masks[i] & allowed).bit_count()
            if count:
                code = self.table.codes[i]
                found.append(NearbyDistrict(code, self.table.gazetteer.town_of(code), miles, count))
        return found


class ProximityCache:
    """The district table per generation, and the distances of recently searched places."""

    def __init__(self, gazetteer: Gazetteer, limit: int = 256) -> None:
        self.gazetteer = gazetteer
        self.limit = limit
        self._key: Any = None
        self._table: DistrictTable | None = None
        self._places: OrderedDict[tuple[str, ...], Proximity] = OrderedDict()
        self._lock = threading.Lock()

    def proximity(self, key: Any, masks: Mapping[str, int], place: Place) -> Proximity:
        with self._lock:
            if key != self._key or self._table is None:
                self._key, self._table = key, DistrictTable(masks, self.gazetteer)
                self._places.clear()
            table = self._table
            found = self._places.get(place.districts)
            if found is not None:
                self._places.move_to_end(place.districts)
                return found
        found = table.proximity(place)
        with self._lock:
            if self._key == key:
                self._places[place.districts] = found
                while len(self._places) > self.limit:
                    self._places.popitem(last=False)
        return found


def _members(mask: int) -> list[int]:
    """The set bits of a sparse mask, lowest first: a few big-int operations per bit."""
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found
