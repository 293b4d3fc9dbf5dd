"""What people type for where they are, resolved to postcode districts.

A postcode or district is looked up as it is; a town or council area by its name, in English or
Gaelic, whatever its accents, case or punctuation ("inbhir air" finds Inbhir Àir, Ayr). Towns
and council areas come from the district data; `data/places.csv` is Cairn's maintained table of
Gaelic names and of localities the data does not name (Alloway, Leith, Prestwick)."""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from cairn.domain.geo.districts import District, packaged_districts
from cairn.domain.validation import Invalid, district_from_input

Kind = Literal["district", "town", "council"]
Outcome = Literal["found", "ambiguous", "unknown", "outside", "invalid"]
COUNCIL_SUFFIXES = (" council area", " council")
MAX_CHOICES = 5


@dataclass(frozen=True)
class Place:
    kind: Kind
    name: str  # "KA7", "Ayr", "South Ayrshire"
    name_gd: str  # its Gaelic name, "" when we know none (or for a district)
    districts: tuple[str, ...]
    council: str  # the council area a district or town lies in; a council area's own name

    @property
    def query(self) -> str:
        """What to type to find exactly this place (the links that answer "which one?")."""
        if self.kind == "council":
            return f"{self.name} council area"
        if self.kind == "town":
            return f"{self.name}, {self.council}"
        return self.name


@dataclass(frozen=True)
class Resolution:
    outcome: Outcome
    place: Place | None = None
    choices: tuple[Place, ...] = ()  # which one, when ambiguous; close spellings, when unknown
    country: str = ""  # where it is, when outside Scotland
    district: str = ""  # the district typed, for a postcode we cannot place


def name_key(text: str) -> str:
    """A name as compared: no accents, case, punctuation or leading "the"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("&", " and "))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    return " ".join("st" if w == "saint" else w for w in words)


@dataclass(frozen=True)
class _Row:
    kind: str
    name: str
    name_gd: str
    districts: tuple[str, ...]
    names_districts: bool


class Gazetteer:
    """The districts and the places named by them."""

    def __init__(self, districts: Mapping[str, District], rows: Iterable[_Row] = ()) -> None:
        self.districts = dict(districts)
        self._town_of: dict[str, str] = {}
        self._names: dict[str, list[Place]] = defaultdict(list)
        self._elsewhere: dict[str, str] = {}  # name key -> country, for places outside Scotland
        self._build(list(rows))

    def _build(self, rows: list[_Row]) -> None:
        scottish = [d for d in self.districts.values() if d.in_scotland]
        by_town: dict[str, list[str]] = defaultdict(list)
        by_council: dict[str, list[str]] = defaultdict(list)
        for d in scottish:
            if d.town:
                by_town[d.town].append(d.code)
            by_council[d.council].append(d.code)
        gaelic = {(r.kind, r.name): r.name_gd for r in rows}
        for row in rows:
            if row.kind == "town" and row.districts:
                by_town[row.name] = [c for c in row.districts if c in self.districts]
                if row.names_districts:
                    self._town_of.update(dict.fromkeys(row.districts, row.name))
        for town, codes in by_town.items():
            if codes:
                council = Counter(self.districts[c].council for c in codes).most_common(1)[0][0]
                self._add(
                    Place("town", town, gaelic.get(("town", town), ""), _sorted(codes), council)
                )
        for council, codes in by_council.items():
            if council:
                name_gd = gaelic.get(("council", council), "")
                self._add(Place("council", council, name_gd, _sorted(codes), council))
        for d in self.districts.values():
            if not d.in_scotland:
                for name in (d.town, d.council):
                    if name and name_key(name) not in self._names:
                        self._elsewhere.setdefault(name_key(name), d.country)

    def _add(self, place: Place) -> None:
        for name in {place.name, place.name_gd} - {""}:
            self._names[name_key(name)].append(place)

    # -- reading ------------------------------------------------------------------------

    def town_of(self, code: str) -> str:
        """The town a district is known by, or its council area when the data names none."""
        if code in self._town_of:
            return self._town_of[code]
        district = self.districts.get(code)
        return (district.town or district.council) if district else ""

    def district_place(self, code: str) -> Place:
        district = self.districts[code]
        return Place("district", code, "", (code,), district.council)

    def resolve(self, text: str) -> Resolution:
        text = " ".join(text.split())
        if any(c.isdigit() for c in text):
            try:
                code = district_from_input(text)
            except Invalid:
                return Resolution("invalid")
            district = self.districts.get(code)
            if district is None:
                return Resolution("unknown", district=code)
            if not district.in_scotland:
                return Resolution("outside", country=district.country, district=code)
            return Resolution("found", place=self.district_place(code))
        return self._resolve_name(text)

    def _resolve_name(self, text: str) -> Resolution:
        name, _comma, qualifier = text.partition(",")
        key, only_councils = name_key(name), False
        for suffix in COUNCIL_SUFFIXES:
            if key.endswith(suffix) and key[: -len(suffix)] in self._names:
                key, only_councils = key[: -len(suffix)], True
        found = list(dict.fromkeys(self._names.get(key, ())))
        if only_councils:
            found = [p for p in found if p.kind == "council"]
        if qualifier.strip():
            wanted = name_key(qualifier)
            found = [
                p for p in found if p.kind == "town" and name_key(p.council) == wanted
            ] or found
        if len(found) == 1:
            return Resolution("found", place=found[0])
        if found:
            return Resolution("ambiguous", choices=tuple(found[:MAX_CHOICES]))
        if key in self._elsewhere:
            return Resolution("outside", country=self._elsewhere[key])
        close = difflib.get_close_matches(key, list(self._names), n=3, cutoff=0.8)
        choices = tuple(dict.fromkeys(p for k in close for p in self._names[k]))
        return Resolution("unknown", choices=choices[:MAX_CHOICES])


def _sorted(codes: Iterable[str]) -> tuple[str, ...]:
    """Districts in their natural order: KA2 before KA10."""

    def order(code: str) -> tuple[str, int, str]:
        match = re.fullmatch(r"([A-Z]+)(\d+)(.*)", code)
        return (match[1], int(match[2]), match[3]) if match else (code, 0, "")

    return tuple(sorted(set(codes), key=order))


def read_places(text: str) -> list[_Row]:
    rows = []
    for row in csv.DictReader(io.StringIO(text, newline="")):
        rows.append(
            _Row(
                kind=row["kind"].strip(),
                name=row["name"].strip(),
                name_gd=row["name_gd"].strip(),
                districts=tuple(row["districts"].split()),
                names_districts=row["names_districts"].strip() == "yes",
            )
        )
    return rows


@cache
def maintained_places() -> tuple[_Row, ...]:
    text = resources.files("cairn.domain").joinpath("data/places.csv").read_text("utf-8-sig")
    return tuple(read_places(text))


def gazetteer_of(districts: Mapping[str, District] | None = None) -> Gazetteer:
    """The gazetteer over `districts` (an installed refresh), or over the shipped copy."""
    if districts is None:
        return packaged_gazetteer()
    return Gazetteer(districts, maintained_places())


@cache
def packaged_gazetteer() -> Gazetteer:
    return Gazetteer(packaged_districts(), maintained_places())
