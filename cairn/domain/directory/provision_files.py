"""Reads a file of other organisations' services into `OtherService`s: an Open Referral UK
feed saved as JSON (a page of `/services`, a list of services, or newline-delimited JSON),
or a spreadsheet saved as CSV (columns below).

Places are resolved with the gazetteer: a postcode district or full postcode, a town, or a
council area (which stands for all of its districts). A feed's service that names no place in
Scotland is left out and listed, since a feed may cover England too; a spreadsheet row with a
problem is a bad row, and while any remain nothing is loaded."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cairn.domain.directory.other_provision import OtherService
from cairn.domain.geo.places import Gazetteer, name_key
from cairn.domain.service_types import all_service_types
from cairn.domain.text import Text
from cairn.domain.validation import Invalid, _, clean_text, normalise_url, split_items

MAX_NAME = 200
# The spreadsheet's columns (any case; "organization" and "service_name" are read too).
CSV_COLUMNS = ("organisation", "service", "areas", "service_types", "url")
_ALIASES = {"organization": "organisation", "service_name": "service", "name": "service"}
_PIECES = re.compile(r"\s*(?:[,;/]|\band\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    line: int  # the CSV line, or the service's place in the feed (1 for the first)
    message: Text | str
    value: str = ""
    column: str = ""


@dataclass(frozen=True)
class ProvisionFile:
    kind: str  # "oruk" or "csv"
    services: tuple[OtherService, ...]
    problems: tuple[Problem, ...] = ()
    left_out: tuple[str, ...] = ()  # the names of services that name no place in Scotland


def read_provision_file(text: str, gazetteer: Gazetteer) -> ProvisionFile:
    stripped = text.lstrip("\ufeff").strip()
    if stripped[:1] in ("{", "["):
        return _read_feed(stripped, gazetteer)
    return _read_csv(stripped, gazetteer)


# -- places and service types ------------------------------------------------------------------


def districts_named(texts: Iterable[str], gazetteer: Gazetteer) -> tuple[str, ...]:
    """Every Scottish district the texts name: each text whole ("South Ayrshire", "KA7 1AA",
    "Ayr, South Ayrshire"), or else piece by piece ("Ayr, Prestwick and Troon")."""
    found: dict[str, None] = {}
    for text in texts:
        text = " ".join(str(text).split())[:300]
        for piece in _pieces(text, gazetteer):
            resolution = gazetteer.resolve(piece)
            if resolution.outcome == "found" and resolution.place is not None:
                found.update(dict.fromkeys(resolution.place.districts))
    return tuple(found)


def _pieces(text: str, gazetteer: Gazetteer) -> list[str]:
    pieces = [p for p in _PIECES.split(text) if p]
    if len(pieces) <= 1:
        return pieces
    whole = gazetteer.resolve(text)
    # "Ayr, South Ayrshire" is one town named with its council area, as the gazetteer reads it.
    if whole.outcome == "found" and whole.place is not None and whole.place.kind == "town":
        qualifier = gazetteer.resolve(text.partition(",")[2])
        if len(pieces) == 2 and qualifier.place is not None and qualifier.place.kind == "council":
            return [text]
    return pieces


def _type_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for kind in all_service_types():
        keys[kind.key] = kind.key
        keys[name_key(kind.label)] = kind.key
    return keys


def service_types_named(terms: Iterable[str]) -> tuple[str, ...]:
    """Cairn's keys for the terms that are Cairn's keys or labels; others are not counted."""
    known = _type_keys()
    found = [known.get(t.strip().lower()) or known.get(name_key(t)) for t in terms if t.strip()]
    return tuple(dict.fromkeys(k for k in found if k))


def _url(value: Any) -> str:
    try:
        return normalise_url(str(value)) if value else ""
    except Invalid:
        return ""


# -- an Open Referral UK feed ------------------------------------------------------------------


def _read_feed(text: str, gazetteer: Gazetteer) -> ProvisionFile:
    try:
        items = _feed_items(text)
    except ValueError:
        return ProvisionFile(
            "oruk",
            (),
            (Problem(1, _("The file is not readable JSON. Save the feed's answer as it came.")),),
        )
    services: list[OtherService] = []
    problems: list[Problem] = []
    left_out: list[str] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(number, _("This is not a service.")))
            continue
        try:
            name = clean_text(str(item.get("name") or ""), max_length=MAX_NAME)
        except Invalid as error:
            problems.append(Problem(number, error.message, str(item.get("id") or "")))
            continue
        organisation = item.get("organization") or {}
        org_name = organisation.get("name") if isinstance(organisation, dict) else None
        districts = districts_named(_feed_places(item), gazetteer)
        if not districts:
            left_out.append(name)
            continue
        services.append(
            OtherService(
                organisation=" ".join(str(org_name or "").split())[:MAX_NAME],
                name=name,
                districts=districts,
                service_types=service_types_named(_feed_terms(item)),
                url=_url(item.get("url")),
                ref=str(item.get("id") or "")[:100],
            )
        )
    return ProvisionFile("oruk", tuple(services), tuple(problems), tuple(left_out))


def _feed_items(text: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        # Newline-delimited JSON (`format=ndjson`): one service a line.
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 2:
            raise
        return [json.loads(line) for line in lines]
    if isinstance(data, dict):
        contents = data.get("contents")
        return list(contents) if isinstance(contents, list) else [data]
    if isinstance(data, list):
        return data
    raise ValueError("not a feed")


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _feed_places(service: dict[str, Any]) -> list[str]:
    places: list[str] = []
    for area in _dicts(service.get("service_areas")):
        places.append(str(area.get("name") or ""))
        if str(area.get("extent_type") or "").lower() == "text":
            places.append(str(area.get("extent") or ""))
    for at in _dicts(service.get("service_at_locations")):
        location = at.get("location")
        if isinstance(location, dict):
            places += [str(a.get("postal_code") or "") for a in _dicts(location.get("addresses"))]
    return places


def _feed_terms(service: dict[str, Any]) -> list[str]:
    terms: list[str] = []
    for attribute in _dicts(service.get("attributes")):
        term = attribute.get("taxonomy_term")
        if isinstance(term, dict):
            terms += [str(term.get("code") or ""), str(term.get("name") or "")]
    return terms


# -- a spreadsheet -----------------------------------------------------------------------------


def _read_csv(text: str, gazetteer: Gazetteer) -> ProvisionFile:
    reader = csv.DictReader(io.StringIO(text))
    header = {
        _ALIASES.get(h.strip().lower(), h.strip().lower()): h for h in (reader.fieldnames or [])
    }
    missing = [c for c in ("organisation", "service", "areas") if c not in header]
    if missing:
        return ProvisionFile(
            "csv",
            (),
            (
                Problem(
                    1,
                    _(
                        "The first line must name the columns {columns}; it has no {missing}."
                    ).format(columns=", ".join(CSV_COLUMNS), missing=", ".join(missing)),
                ),
            ),
        )
    services: list[OtherService] = []
    problems: list[Problem] = []
    for row in reader:
        line = reader.line_num
        cell = {
            column: (row.get(header[column]) or "") for column in header if column in CSV_COLUMNS
        }
        if not any(v.strip() for v in cell.values()):
            continue
        made, found = _row(line, cell, gazetteer)
        problems += found
        if made is not None and not found:
            services.append(made)
    return ProvisionFile("csv", tuple(services), tuple(problems))


def _row(
    line: int, cell: dict[str, str], gazetteer: Gazetteer
) -> tuple[OtherService | None, list[Problem]]:
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    for column in ("organisation", "service"):
        try:
            texts[column] = clean_text(cell.get(column, ""), max_length=MAX_NAME)
        except Invalid as error:
            problems.append(Problem(line, error.message, cell.get(column, ""), column))
    areas = cell.get("areas", "")
    districts = districts_named(split_items(areas), gazetteer)
    if not districts:
        problems.append(
            Problem(
                line,
                _("Name the postcode districts, towns or council areas in Scotland it serves"),
                areas,
                "areas",
            )
        )
    terms = split_items(cell.get("service_types", ""))
    types = service_types_named(terms)
    unknown = [t for t in terms if not service_types_named([t])]
    if unknown:
        problems.append(
            Problem(
                line,
                _(
                    "{terms} is not one of Cairn's services (leave the column empty to count it "
                    "under any service)"
                ).format(terms="; ".join(unknown)),
                cell.get("service_types", ""),
                "service_types",
            )
        )
    url = cell.get("url", "").strip()
    if url:
        try:
            url = normalise_url(url)
        except Invalid as error:
            problems.append(Problem(line, error.message, url, "url"))
    if problems:
        return None, problems
    return (
        OtherService(
            organisation=texts["organisation"],
            name=texts["service"],
            districts=districts,
            service_types=types,
            url=url,
        ),
        [],
    )
