"""The index keeps when each listing last changed in public: `modified_after` finds exactly the
listings changed at or after an instant, across segments with updated and deleted listings,
and `every_match` gives all of a request's matches, unpaged, in name order."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from cairn.domain.directory.listing import PublicListing
from cairn.search.providers.index import SearchIndex
from cairn.search.providers.query import SearchRequest
from cairn.search.providers.search import Directory
from tests.search.rounds import listing, rounds_of_writes

TODAY = date(2026, 12, 3)
START = datetime(2026, 1, 1, tzinfo=UTC)


def changed_at(rng: random.Random, n: int) -> PublicListing:
    """A listing stamped with a moment of its own (microseconds apart, some at the same one)."""
    moment = START + timedelta(seconds=rng.randint(0, 1000), microseconds=rng.randint(0, 3))
    return replace(listing(rng, n), updated_at=moment)


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    index = SearchIndex(tmp_path)
    for _ in rounds_of_writes(index, changed_at, random.Random(7), rounds=5, size=40, churn=12):
        pass
    yield Directory(index)
    index.close()


def everyone(directory: Directory) -> list[PublicListing]:
    return list(directory.every_match(SearchRequest(), TODAY))


def test_modified_after_is_on_or_after_the_instant_across_segments(directory: Directory) -> None:
    listings = everyone(directory)
    for instant in sorted({item.updated_at for item in listings})[::17]:
        expected = {item.provider_id for item in listings if item.updated_at >= instant}
        request = SearchRequest(modified_after=instant, per_page=500, sort="name")
        found = directory.search(request, TODAY, with_facets=False)
        assert {item.provider_id for item in found.listings} == expected
        assert found.total == len(expected)


def test_an_instant_in_another_zone_is_the_same_instant(directory: Directory) -> None:
    instant = sorted(item.updated_at for item in everyone(directory))[50]
    elsewhere = instant.astimezone(timezone(timedelta(hours=-5)))
    a = directory.search(SearchRequest(modified_after=instant, per_page=500), TODAY)
    b = directory.search(SearchRequest(modified_after=elsewhere, per_page=500), TODAY)
    assert a.total == b.total and a.total > 0


def test_every_match_is_every_listing_in_name_order_unpaged(directory: Directory) -> None:
    listings = everyone(directory)
    paged = directory.search(SearchRequest(per_page=10, sort="name"), TODAY)
    assert len(listings) == paged.total > 150
    assert [item.provider_id for item in listings[:10]] == [
        item.provider_id for item in paged.listings
    ]
    assert [item.name.casefold() for item in listings] == sorted(
        item.name.casefold() for item in listings
    )
