"""A generation's snapshot is assembled from facts kept per segment: it must say exactly what a
fresh read of the whole index says, and a new generation must read only its new segments."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from whoosh.query import NumericRange

from cairn.domain.directory.listing import PublicListing
from cairn.search.engine.bitsets import docnums_of, mask_of
from cairn.search.providers import segments
from cairn.search.providers.index import SearchIndex, Snapshot
from cairn.search.providers.schema import (
    DISTRICT_FIELD,
    FACET_FIELDS,
    INTAKE_FIELD,
    KIND_LISTING,
    NO_PRICE,
)
from tests.search.rounds import BASE, WORDS, rounds_of_writes

SERVICES = ["gardening", "personal-care", "shopping", "meals", "companionship"]


def listing(rng: random.Random, n: int) -> PublicListing:
    price = None if rng.random() < 0.2 else Decimal(rng.randint(1500, 2500)) / 100
    return replace(
        BASE,
        provider_id=UUID(int=n + 1),
        # Few distinct names, so ties in name (and in price) are common and must break the same.
        name=f"{rng.choice(WORDS).title()} {rng.choice(['Friends', 'Help'])}",
        services=tuple(rng.sample(SERVICES, rng.randint(1, 2))),
        languages=("en", rng.choice(["gd", "pl", "en"])),
        sds_options=tuple(o for o in "1234" if rng.random() < 0.5),
        price_per_hour=price,
        insurance_expires_on=None
        if rng.random() < 0.3
        else date(2026, 11, 1) + timedelta(days=rng.randint(0, 60)),
    )


def from_scratch(index: SearchIndex) -> dict[str, object]:
    """What the snapshot should hold, read document by document through Whoosh's own reader."""
    reader = index.searcher().reader()
    live = {d for d in reader.postings("kind", KIND_LISTING).all_ids() if not reader.is_deleted(d)}
    facets = {}
    for field in (*FACET_FIELDS, DISTRICT_FIELD, INTAKE_FIELD):  # kept like facets
        facets[field] = {}
        for term in reader.lexicon(field):
            value = term.decode()
            facets[field][value] = {d for d in reader.postings(field, value).all_ids() if d in live}
    names = reader.column_reader("name_sort")
    prices = reader.column_reader("price_pence")
    by_name = sorted(live, key=lambda d: (names[d], d))
    by_price = sorted(
        live, key=lambda d: (prices[d] if prices[d] is not None else NO_PRICE, names[d], d)
    )
    return {"live": live, "facets": facets, "by_name": by_name, "by_price": by_price}


def held(snapshot: Snapshot) -> dict[str, object]:
    every = snapshot.live
    size = every.bit_count()
    return {
        "live": set(docnums_of(every)),
        "facets": {
            field: {value: set(docnums_of(mask)) for value, mask in values.items()}
            for field, values in snapshot.facets.items()
        },
        "by_name": snapshot.order.page(every, by_price=False, start=0, size=size),
        "by_price": snapshot.order.page(every, by_price=True, start=0, size=size),
    }


def write_rounds(index: SearchIndex, rng: random.Random, rounds: int) -> None:
    for _ in rounds_of_writes(index, listing, rng, rounds=rounds, size=200, churn=30):
        assert_snapshot_is_fresh(index)


def assert_snapshot_is_fresh(index: SearchIndex) -> None:
    assert held(index.snapshot()) == from_scratch(index)


def test_the_snapshot_equals_a_fresh_read_over_many_segments_with_deletions(
    tmp_path: Path,
) -> None:
    index = SearchIndex(tmp_path / "providers")
    write_rounds(index, random.Random(11), rounds=7)
    assert len(list(index.searcher().reader().leaf_readers())) > 1


@pytest.mark.parametrize("by_price", [False, True])
def test_every_page_of_a_filtered_search_follows_the_one_order(
    tmp_path: Path, by_price: bool
) -> None:
    index = SearchIndex(tmp_path / "providers")
    write_rounds(index, random.Random(5), rounds=4)
    snapshot = index.snapshot()
    expected = from_scratch(index)["by_price" if by_price else "by_name"]
    assert isinstance(expected, list)
    for field, value in (("languages", "gd"), ("services", "meals"), ("sds", "3")):
        mask = snapshot.facets[field][value]
        wanted = [d for d in expected if mask >> d & 1]
        pages = [
            snapshot.order.page(mask, by_price=by_price, start=start, size=20)
            for start in range(0, len(wanted) + 20, 20)
        ]
        assert [d for page in pages for d in page] == wanted
        assert pages[-1] == []  # past the last page: nothing, not an error


def test_expired_insurance_is_found_from_the_kept_expiry_days(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "providers")
    write_rounds(index, random.Random(9), rounds=3)
    searcher = index.searcher()
    snapshot = index.snapshot(searcher)
    for today in (date(2026, 10, 1), date(2026, 11, 15), date(2026, 12, 1), date(2027, 6, 1)):
        before = today.toordinal() - 1
        whoosh = mask_of(NumericRange("insured_until", None, before).docs(searcher), snapshot.size)
        ours = index.expired_mask(snapshot, searcher, today.toordinal())
        assert ours & snapshot.live == whoosh & snapshot.live, today
    assert index.expired_mask(snapshot, searcher, date(2026, 11, 15).toordinal())  # not vacuous


def test_a_new_generation_reads_only_its_new_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(7)
    index = SearchIndex(tmp_path / "providers")
    index.write({str(UUID(int=n + 1)): listing(rng, n) for n in range(400)}, expected=0, position=1)
    index.snapshot()
    read: list[int] = []
    original = segments.read_facts

    def counting(segment: object) -> segments.SegmentFacts:
        facts = original(segment)
        read.append(facts.count)
        return facts

    monkeypatch.setattr(segments, "read_facts", counting)
    # One listing changed: its old document is deleted in the big segment, a new one is added.
    index.write({str(UUID(int=5)): listing(rng, 4)}, expected=1, position=2)
    snapshot = index.snapshot()
    assert read == [2]  # the new segment only: the changed listing and the tracking document
    assert held(snapshot) == from_scratch(index)
    assert snapshot.total == 400
