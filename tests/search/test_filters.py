"""Filters mean what they say: a day with a time is that slot, services combine as chosen,
and the count beside every option is what ticking it gives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from cairn.domain.availability import day_of, parse_availability, time_of
from cairn.domain.directory.listing import PublicListing
from cairn.domain.validation import DAYS, TIMES
from cairn.search.providers.index import SearchIndex
from cairn.search.providers.query import parse_search
from cairn.search.providers.schema import FACET_PARAMS
from cairn.search.providers.search import Directory, SearchResult
from tests.support.listings import public_listing

TODAY = date(2026, 11, 23)


def listing(
    n: int, name: str, services: tuple[str, ...], when: str, languages: tuple[str, ...] = ("en",)
) -> PublicListing:
    return public_listing(
        n,
        name,
        services=services,
        availability=parse_availability(when),
        sds_options=("1",) if n % 2 else ("3",),
        languages=languages,
    )


LISTINGS = [
    listing(1, "Tuesday Mornings", ("shopping-errands",), "tue-morning"),
    listing(
        2, "Tuesday Afternoons, Friday Mornings", ("companionship",), "tue-afternoon;fri-morning"
    ),
    listing(3, "Shops And Company", ("shopping-errands", "companionship"), "mon;tue;wed;evening"),
    listing(4, "Weekend Gardens", ("gardening",), "sat;sun", ("en", "gd")),
    listing(5, "Company Any Time", ("companionship",), "", ("en", "pl")),
]


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Directory]:
    index = SearchIndex(Path(tmp_path_factory.mktemp("index")))
    index.write({str(item.provider_id): item for item in LISTINGS}, expected=0, position=1)
    yield Directory(index)
    index.close()


def search(directory: Directory, query: str) -> SearchResult:
    params = MultiDict([tuple(part.split("=", 1)) for part in query.split("&") if part])
    return directory.search(parse_search(params), TODAY)


def names(directory: Directory, query: str) -> list[str]:
    return sorted(item.name for item in search(directory, query).listings)


def test_tuesday_morning_means_tuesday_morning(directory: Directory) -> None:
    # Not Tuesday at any time, nor mornings on any day.
    assert names(directory, "day=tue&time=morning") == ["Tuesday Mornings"]


def test_a_day_alone_is_that_day_at_any_time(directory: Directory) -> None:
    assert names(directory, "day=tue") == [
        "Shops And Company",
        "Tuesday Afternoons, Friday Mornings",
        "Tuesday Mornings",
    ]


def test_a_time_alone_is_that_time_on_any_day(directory: Directory) -> None:
    assert names(directory, "time=morning") == [
        "Tuesday Afternoons, Friday Mornings",
        "Tuesday Mornings",
        "Weekend Gardens",
    ]


def test_several_days_and_times_are_any_of_their_slots(directory: Directory) -> None:
    assert names(directory, "day=tue&day=fri&time=morning") == [
        "Tuesday Afternoons, Friday Mornings",
        "Tuesday Mornings",
    ]


def test_services_are_any_of_those_ticked_unless_all_are_asked_for(
    directory: Directory,
) -> None:
    both = "service=shopping-errands&service=companionship"
    assert names(directory, both) == [
        "Company Any Time",
        "Shops And Company",
        "Tuesday Afternoons, Friday Mornings",
        "Tuesday Mornings",
    ]
    assert names(directory, both + "&service_match=all") == ["Shops And Company"]


def test_an_unknown_way_to_combine_services_is_said_and_any_is_used(
    directory: Directory,
) -> None:
    result = search(directory, "service=gardening&service_match=both")
    assert result.request.service_match == "any"
    assert [p.field for p in result.request.problems] == ["service_match"]
    assert [item.name for item in result.listings] == ["Weekend Gardens"]


def _toggled_on(query: str, param: str, value: str) -> str:
    return f"{query}&{param}={value}" if query else f"{param}={value}"


OPTIONS = {
    "service": ["shopping-errands", "companionship", "gardening", "personal-care"],
    "day": list(DAYS),
    "time": list(TIMES),
    "sds": ["1", "3"],
    "language": ["gd", "pl"],
}


@st.composite
def queries(draw: st.DrawFn) -> str:
    parts = [
        f"{param}={value}"
        for param, values in OPTIONS.items()
        for value in draw(st.lists(st.sampled_from(values), unique=True, max_size=2))
    ]
    if draw(st.booleans()):
        parts.append("service_match=all")
    if draw(st.booleans()):
        parts.append("q=friendly")
    return "&".join(parts)


LISTING_FIELD = {"services": "services", "sds": "sds_options", "languages": "languages"}


def has(item: PublicListing, name: str, value: str, chosen: dict[str, tuple[str, ...]]) -> bool:
    """Whether a listing matches one ticked option, the other half of a slot as chosen."""
    if name == "days":
        times = chosen["times"] or TIMES
        return any(day_of(s) == value and time_of(s) in times for s in item.availability)
    if name == "times":
        days = chosen["days"] or DAYS
        return any(time_of(s) == value and day_of(s) in days for s in item.availability)
    return value in getattr(item, LISTING_FIELD[name])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=queries())
def test_every_count_is_what_ticking_gives(directory: Directory, query: str) -> None:
    result = search(directory, query)
    chosen = result.request.facet_filters
    for name, param in FACET_PARAMS.items():
        for value in OPTIONS[param]:
            count = result.facets.count(name, value)
            if value in chosen[name]:
                # Ticked: how many of these results it matches.
                having = [item for item in result.listings if has(item, name, value, chosen)]
                assert count == len(having), (query, name, value)
            else:
                ticked = search(directory, _toggled_on(query, param, value))
                assert count == ticked.total, (query, name, value)
