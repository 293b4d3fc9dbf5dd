"""Distance in search: a place's centre, radius, nearest first and named nearby districts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import pytest
from werkzeug.datastructures import MultiDict

from cairn.domain.directory.listing import PublicListing
from cairn.domain.geo.places import packaged_gazetteer
from cairn.search.providers.index import SearchIndex
from cairn.search.providers.query import SearchRequest, parse_search
from cairn.search.providers.search import Directory, SearchResult

TODAY = date(2026, 11, 23)


def listing(n: int, name: str, areas: tuple[str, ...], services: tuple[str, ...]) -> PublicListing:
    return PublicListing(
        provider_id=UUID(int=n),
        name=name,
        description="Friendly help at home.",
        services=services,
        district=areas[0],
        areas_covered=areas,
        availability=("mon", "morning"),
        sds_options=("1",),
        languages=("en",),
        price_per_hour=None,
        contact_name="Pat",
        email=f"p{n}@cairn.example",
        phone=None,
        website=None,
        pvg_checked_on=None,
        insurance_expires_on=None,
        training=(),
        last_confirmed_on=None,
        assured_on=None,
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


LISTINGS = [
    listing(1, "Ayr Helpers", ("KA7",), ("shopping",)),
    listing(2, "Prestwick Pals", ("KA9",), ("shopping",)),
    listing(3, "Troon Friends", ("KA10",), ("companionship",)),
    listing(4, "Kilmarnock Care", ("KA1",), ("shopping",)),
    listing(5, "Leith Lifts", ("EH6",), ("transport",)),
    listing(6, "Portobello Support", ("EH15",), ("shopping",)),
    listing(7, "Wide Coverage", ("KA26", "KA8"), ("gardening",)),
    listing(8, "Unplaced", ("ZZ9",), ("shopping",)),
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
