"""Distance in search: a place's centre, radius, nearest first and named nearby districts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from cairn.domain.directory.listing import PublicListing
from cairn.domain.geo.places import packaged_gazetteer
from cairn.search.providers import nearby
from cairn.search.providers.index import SearchIndex
from cairn.search.providers.query import SearchRequest, parse_search
from cairn.search.providers.search import Directory, SearchResult
from tests.support.listings import public_listing

TODAY = date(2026, 11, 23)


def listing(n: int, name: str, areas: tuple[str, ...], services: tuple[str, ...]) -> PublicListing:
    return public_listing(n, name, services=services, district=areas[0], areas_covered=areas)


LISTINGS = [
    listing(1, "Ayr Helpers", ("KA7",), ("shopping-errands",)),
    listing(2, "Prestwick Pals", ("KA9",), ("shopping-errands",)),
    listing(3, "Troon Friends", ("KA10",), ("companionship",)),
    listing(4, "Kilmarnock Care", ("KA1",), ("shopping-errands",)),
    listing(5, "Leith Lifts", ("EH6",), ("transport",)),
    listing(6, "Portobello Support", ("EH15",), ("shopping-errands",)),
    listing(7, "Wide Coverage", ("KA26", "KA8"), ("gardening",)),
    listing(8, "Unplaced", ("ZZ9",), ("shopping-errands",)),
]


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Directory]:
    index = SearchIndex(Path(tmp_path_factory.mktemp("index")))
    index.write({str(item.provider_id): item for item in LISTINGS}, expected=0, position=1)
    yield Directory(index, packaged_gazetteer())
    index.close()


def ask(directory: Directory, **params: str) -> SearchRequest:
    return parse_search(MultiDict(params), gazetteer=directory.gazetteer)


def search(directory: Directory, **params: str) -> SearchResult:
    return directory.search(ask(directory, **params), TODAY)


def names(result: SearchResult) -> list[str]:
    return [item.name for item in result.listings]


def test_a_postcode_finds_its_neighbours_nearest_first(directory: Directory) -> None:
    result = search(directory, postcode="KA8 0AA")
    assert result.request.sort == "distance"  # the default once a place is given
    assert names(result) == [
        "Wide Coverage",  # covers KA8 itself
        "Ayr Helpers",
        "Prestwick Pals",
        "Troon Friends",
        "Kilmarnock Care",
    ]
    near = result.nearness[2]
    assert near is not None and (near.district, near.town) == ("KA9", "Prestwick")
    assert 1.5 < near.miles < 2.5


def test_edinburgh_city_centre_finds_leith_and_portobello(directory: Directory) -> None:
    assert names(search(directory, postcode="EH1 1AA")) == ["Leith Lifts", "Portobello Support"]


def test_a_listing_is_as_near_as_its_nearest_covered_district(directory: Directory) -> None:
    result = search(directory, postcode="KA26", within="5")
    assert names(result) == ["Wide Coverage"]  # covers KA26 and, far away, KA8
    near = result.nearness[0]
    assert near is not None and near.miles == 0 and near.district == "KA26"


@pytest.mark.parametrize(
    ("within", "expected"),
    [
        ("5", {"Ayr Helpers", "Wide Coverage", "Prestwick Pals"}),
        ("10", {"Ayr Helpers", "Wide Coverage", "Prestwick Pals", "Troon Friends"}),
        (
            "20",
            {"Ayr Helpers", "Wide Coverage", "Prestwick Pals", "Troon Friends", "Kilmarnock Care"},
        ),
    ],
)
def test_the_radius_limits_the_results(directory: Directory, within: str, expected: set) -> None:
    assert set(names(search(directory, postcode="KA7", within=within))) == expected


def test_any_distance_keeps_everyone_nearest_first_and_unplaced_last(
    directory: Directory,
) -> None:
    result = search(directory, postcode="KA7", within="any")
    assert result.total == len(LISTINGS)
    assert names(result)[-3:] == ["Leith Lifts", "Portobello Support", "Unplaced"]
    assert result.nearness[-1] is None


@pytest.mark.parametrize("few", [0, 64])  # each district's matches by whole-bitset pages, or listed
def test_paging_nearest_first_follows_one_order(
    directory: Directory, monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    monkeypatch.setattr(nearby, "FEW", few)
    whole = names(search(directory, postcode="KA7", within="any"))
    pages = [
        names(search(directory, postcode="KA7", within="any", per_page="3", page=str(n)))
        for n in (1, 2, 3)
    ]
    assert [name for page in pages for name in page] == whole


def test_towns_and_council_areas_search_around_their_districts(directory: Directory) -> None:
    assert set(names(search(directory, postcode="Ayr", within="5"))) == {
        "Ayr Helpers",
        "Wide Coverage",
        "Prestwick Pals",
    }
    area = search(directory, postcode="South Ayrshire", within="5")
    assert set(names(area)) == {"Ayr Helpers", "Wide Coverage", "Prestwick Pals", "Troon Friends"}
    assert area.request.district is None  # an area is not one district
    gaelic = search(directory, postcode="Inbhir Àir", within="5")
    assert names(gaelic) == names(search(directory, postcode="Ayr", within="5"))


def test_other_sorts_still_show_the_distance(directory: Directory) -> None:
    result = search(directory, postcode="KA7", sort="name")
    assert names(result) == sorted(names(result))
    assert all(near is not None for near in result.nearness)


def test_nobody_near_enough_offers_the_nearest_districts_with_counts(
    directory: Directory,
) -> None:
    result = search(directory, postcode="KA19", within="5", service="shopping-errands")
    assert result.total == 0
    offered = [(n.district, n.town, n.count) for n in result.nearby]
    assert offered == [("KA7", "Ayr", 1), ("KA9", "Prestwick", 1), ("KA1", "Kilmarnock", 1)]
    assert all(n.miles > 5 for n in result.nearby)
    assert [n.miles for n in result.nearby] == sorted(n.miles for n in result.nearby)


@pytest.mark.parametrize("typed", ["KA99", "XX1", "Atlantis", "Carlisle", "Stirling", "KA7 1A"])
def test_a_place_we_cannot_use_finds_nobody_and_names_no_district(
    directory: Directory, typed: str
) -> None:
    result = search(directory, postcode=typed)
    assert result.total == 0 and result.request.district is None
    assert [p.field for p in result.request.problems] == ["postcode"]


def test_the_api_without_a_gazetteer_still_filters_by_exact_district(
    directory: Directory,
) -> None:
    request = parse_search(MultiDict({"postcode": "KA8"}))
    assert request.place is None and request.district == "KA8"
    assert names(directory.search(request, TODAY)) == ["Wide Coverage"]
