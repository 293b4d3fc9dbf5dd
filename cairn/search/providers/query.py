"""What a person asked for, read from URL parameters without ever failing.

Anything odd is dropped or clamped and described in `problems`, so a shared or hand-edited URL
always gives a page of results and a plain message, never an error."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Protocol
from uuid import UUID

from cairn.domain.geo.places import Gazetteer, Place, Resolution
from cairn.domain.service_types import is_service_type
from cairn.domain.validation import (
    DAYS,
    LANGUAGE_CODES,
    SDS_OPTIONS,
    TIMES,
    Invalid,
    _,
    district_from_input,
)
from cairn.search.providers.schema import FACET_NAMES, FACET_PARAMS

MAX_TEXT_LENGTH = 200
MAX_PLACE_LENGTH = 60
MAX_VALUES_PER_FILTER = 20
DEFAULT_PER_PAGE = 20
MAX_PAGE = 10_000
SORTS = ("relevance", "name", "price", "distance")
# "within" (miles), with a place: the choices offered, the default, and "any" for no limit.
RADII = (5, 10, 20)
DEFAULT_RADIUS = 10
ANY_DISTANCE = "any"
# Ticked services: providers offering any of them, or all of them.
MATCH_ANY = "any"
MATCH_ALL = "all"
SERVICE_MATCH_PARAM = "service_match"
HIDE_FULL_PARAM = "open"  # "1": only providers not full


class Params(Protocol):
    """A read-only multi-valued mapping, such as Flask's request.args."""

    def get(self, key: str) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class Problem:
    """Something we could not use; `message` is marked for translation, formatted with values."""

    field: str
    message: str
    values: dict[str, str] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    postcode: str = ""  # as typed, shown back in the form
    district: str | None = None  # one district for this search (unmet demand, the API)
    place: Place | None = None  # where, when resolved from a postcode, town or area
    within: float | None = DEFAULT_RADIUS  # miles from the place; None: any distance
    place_choices: tuple[Place, ...] = ()  # "which did you mean?", or close spellings
    services: tuple[str, ...] = ()
    days: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    sds: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    service_match: str = MATCH_ANY
    hide_full: bool = False  # leave out providers who say they are full
    # Only listings whose public listing changed at or after this (the API's incremental sync).
    modified_after: datetime | None = None
    # Only this provider's listing (the API's organization_id: one organization, one service).
    provider_id: UUID | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    problems: tuple[Problem, ...] = ()

    @property
    def facet_filters(self) -> dict[str, tuple[str, ...]]:
        """Index facet field -> chosen values."""
        return {name: getattr(self, name) for name in FACET_NAMES}

    @property
    def has_criteria(self) -> bool:
        return bool(
            self.text
            or self.district
            or self.place
            or self.hide_full
            or any(self.facet_filters.values())
        )

    @property
    def place_unresolved(self) -> bool:
        """A place was typed that we could not find: the search finds no one, never everyone."""
        return bool(self.postcode) and self.place is None and self.district is None

    @property
    def default_sort(self) -> str:
        return "distance" if self.place else "relevance"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean_query_text(raw: str | None) -> tuple[str, bool]:
    """Free text, tidied and cut to a sensible length; True if it was cut."""
    text = unicodedata.normalize("NFC", raw or "")
    text = " ".join(_CONTROL.sub(" ", text).split())
    if len(text) > MAX_TEXT_LENGTH:
        return text[:MAX_TEXT_LENGTH].rsplit(" ", 1)[0] or text[:MAX_TEXT_LENGTH], True
    return text, False


def clamp_int(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int((raw or "").strip())
    except ValueError:
        return default
    return max(low, min(number, high))


def _chosen(
    params: Params, name: str, allowed: Iterable[str], problems: list[Problem], message: str
) -> tuple[str, ...]:
    allowed_set = set(allowed)
    values: list[str] = []
    for raw in params.getlist(name)[: MAX_VALUES_PER_FILTER * 2]:
        for item in raw.split(","):
            value = item.strip().lower()
            if not value:
                continue
            if value in allowed_set:
                values.append(value)
            else:
                problems.append(Problem(name, message, {"value": item.strip()[:40]}))
    return tuple(dict.fromkeys(values))[:MAX_VALUES_PER_FILTER]


def parse_search(
    params: Params,
    *,
    per_page: int = DEFAULT_PER_PAGE,
    max_per_page: int = 100,
    gazetteer: Gazetteer | None = None,
) -> SearchRequest:
    """The search in `params`. With a gazetteer the place box takes towns and council areas
    too, and only places we know; without one (the API), any well-formed postcode district."""
    problems: list[Problem] = []
    text, cut = clean_query_text(params.get("q"))
    if cut:
        problems.append(
            Problem(
                "q",
                _("Your search was shortened to the first {count} characters"),
                {"count": str(MAX_TEXT_LENGTH)},
            )
        )
    postcode = " ".join((params.get("postcode") or "").split())[:MAX_PLACE_LENGTH]
    district: str | None = None
    place: Place | None = None
    choices: tuple[Place, ...] = ()
    if postcode and gazetteer is None:
        try:
            district = district_from_input(postcode)
        except Invalid as error:
            problems.append(Problem("postcode", error.message))
    elif postcode and gazetteer is not None:
        resolution = gazetteer.resolve(postcode)
        place, choices = resolution.place, resolution.choices
        if place is None:
            problems.append(_place_problem(postcode, resolution))
        elif place.kind != "council":
            district = place.districts[0]
    services = tuple(
        key
        for key in _chosen(
            params,
            FACET_PARAMS["services"],
            _all_service_keys(params),
            problems,
            _("We do not list a service called “{value}”, so we left it out"),
        )
        if is_service_type(key)
    )
    days = _chosen(
        params,
        FACET_PARAMS["days"],
        DAYS,
        problems,
        _("“{value}” is not a day we know, so we left it out"),
    )
    times = _chosen(
        params,
        FACET_PARAMS["times"],
        TIMES,
        problems,
        _("“{value}” is not a time of day we know, so we left it out"),
    )
    sds = _chosen(
        params,
        FACET_PARAMS["sds"],
        SDS_OPTIONS,
        problems,
        _("“{value}” is not a Self-directed Support option (1 to 4), so we left it out"),
    )
    languages = _chosen(
        params,
        FACET_PARAMS["languages"],
        LANGUAGE_CODES,
        problems,
        _("“{value}” is not a language code we know, so we left it out"),
    )
    service_match = (params.get(SERVICE_MATCH_PARAM) or MATCH_ANY).strip().lower()
    if service_match not in (MATCH_ANY, MATCH_ALL):
        problems.append(
            Problem(
                SERVICE_MATCH_PARAM,
                _("“{value}” is not a way to combine services, so we show any of them"),
                {"value": service_match[:40]},
            )
        )
        service_match = MATCH_ANY
    default_sort = "distance" if place else "relevance"
    sort = (params.get("sort") or default_sort).strip().lower()
    if sort not in SORTS or (sort == "distance" and place is None):
        sort = default_sort
    return SearchRequest(
        text=text,
        postcode=postcode,
        district=district,
        place=place,
        within=_radius(params.get("within")),
        place_choices=choices,
        services=services,
        days=days,
        times=times,
        sds=sds,
        languages=languages,
        service_match=service_match,
        hide_full=(params.get(HIDE_FULL_PARAM) or "").strip() == "1",
        sort=sort,
        page=clamp_int(params.get("page"), 1, 1, MAX_PAGE),
        per_page=clamp_int(params.get("per_page"), per_page, 1, max_per_page),
        problems=tuple(problems),
    )


def _all_service_keys(params: Params) -> list[str]:
    # Known keys only: checking each value against the list keeps unknown ones out.
    return [
        value.strip().lower()
        for raw in params.getlist(FACET_PARAMS["services"])
        for value in raw.split(",")
        if is_service_type(value.strip().lower())
    ]


def _radius(raw: str | None) -> int | None:
    value = (raw or "").strip().lower()
    if value == ANY_DISTANCE:
        return None
    return int(value) if value in {str(r) for r in RADII} else DEFAULT_RADIUS


def _place_problem(typed: str, resolution: Resolution) -> Problem:
    value = {"value": typed[:40]}
    if resolution.outcome == "ambiguous":
        return Problem("postcode", _("More than one place is called “{value}”. Which one?"), value)
    if resolution.outcome == "outside":
        return Problem(
            "postcode",
            _("“{value}” is not in Scotland. Cairn lists help in Scotland only."),
            value,
        )
    if resolution.outcome == "invalid":
        return Problem(
            "postcode",
            _("“{value}” is not a postcode we can read. Enter one like KA7 1AA, or a town"),
            value,
        )
    if resolution.district:
        return Problem(
            "postcode",
            _("We do not know the postcode district {district}. Check it, or enter a town"),
            {"district": resolution.district},
        )
    if resolution.choices:
        return Problem("postcode", _("We could not find “{value}”. Did you mean:"), value)
    return Problem(
        "postcode",
        _(
            "We could not find a place in Scotland called “{value}”. Check the spelling, or "
            "enter a postcode"
        ),
        value,
    )
