"""What each index segment holds for searching, read once per segment and kept.

A search needs, for the whole index generation: which documents are listings, a bitset per
facet value, and the listings in name and in price order. Reading those from every document
took about 1.1 s per generation at 100k listings, and every write makes a new generation, so
the first search after each write waited for it. But a segment never changes once written:
later generations only add segments, merge old ones into a new one, or mark documents
deleted. So the facts are read per segment and kept by segment id; a new generation reads
only its new segments, and the rest is shifting and ORing the kept bitsets, with deletions
masked out by the generation's `live` set."""

from __future__ import annotations

import heapq
import threading
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from cairn.search.engine.bitsets import bools_of, mask_of_ids
from cairn.search.engine.postings import read_posting_ids, segment_id_of
from cairn.search.providers.schema import (
    DISTRICT_FIELD,
    FACET_FIELDS,
    INTAKE_FIELD,
    KIND_LISTING,
    MODIFIED_FIELD,
    NO_EXPIRY,
    NO_PRICE,
    NOT_MODIFIED,
)


@dataclass(frozen=True)
class SegmentFacts:
    """One segment's listings, facet bitsets and sort orders, by its own document numbers
    (deleted documents included: which are deleted depends on the generation)."""

    count: int  # documents in the segment, deleted ones included
    listings: int  # bitset of the listing documents (not the tracking one)
    facets: dict[str, dict[str, int]]  # field -> value -> bitset (districts too)
    name_at: list[str]  # each document's sort name ("" for non-listings)
    price_at: npt.NDArray[np.int64]  # each document's price in pence (NO_PRICE if none)
    by_name: npt.NDArray[np.int64]  # listing documents by (name, number)
    by_price: npt.NDArray[np.int64]  # listing documents by (price, name, number)
    # Documents with a recorded insurance expiry, by that day (an ordinal), and their days.
    expiring: npt.NDArray[np.int64]
    expiry_days: npt.NDArray[np.int64]
    # Each document's last public change (documents.instant_of; NOT_MODIFIED if none).
    modified_at: npt.NDArray[np.int64]


def read_facts(segment: Any) -> SegmentFacts:
    count = segment.doc_count_all()
    listing_ids = read_posting_ids(segment, "kind", KIND_LISTING)
    facets: dict[str, dict[str, int]] = {}
    # Districts (for distance) and intake (to leave out the full) are read like facets.
    for field in (*FACET_FIELDS, DISTRICT_FIELD, INTAKE_FIELD):
        values: dict[str, int] = {}
        for term in segment.lexicon(field):
            text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
            values[text] = mask_of_ids(read_posting_ids(segment, field, text))
        facets[field] = values
    name_at = _column(segment, "name_sort", "", count)
    price_at = np.array(_column(segment, "price_pence", NO_PRICE, count), dtype=np.int64)
    expiring, expiry_days = _by_expiry(segment)
    ids: list[int] = listing_ids.tolist()
    by_name = sorted(ids, key=lambda d: (name_at[d], d))
    by_price = sorted(ids, key=lambda d: (int(price_at[d]), name_at[d], d))
    return SegmentFacts(
        count=count,
        listings=mask_of_ids(listing_ids),
        facets=facets,
        name_at=name_at,
        price_at=price_at,
        by_name=np.array(by_name, dtype=np.int64),
        by_price=np.array(by_price, dtype=np.int64),
        expiring=expiring,
        expiry_days=expiry_days,
        modified_at=np.array(_column(segment, MODIFIED_FIELD, NOT_MODIFIED, count), dtype=np.int64),
    )


def _by_expiry(segment: Any) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The documents with an insurance expiry day, ordered by it, from the field's terms
    (one full-precision term per day, in ascending order): no document is read."""
    if "insured_until" not in segment.schema:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    field = segment.schema["insured_until"]
    docs: list[npt.NDArray[np.int64]] = []
    days: list[npt.NDArray[np.int64]] = []
    for term in field.sortable_terms(segment, "insured_until"):
        day = field.from_bytes(term)
        if day >= NO_EXPIRY:
            continue  # no date recorded
        ids = read_posting_ids(segment, "insured_until", day)
        docs.append(ids)
        days.append(np.full(len(ids), day, dtype=np.int64))
    if not docs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(docs), np.concatenate(days)


def expired_before(parts: list[Part], day: int) -> int:
    """The documents whose insurance expiry day is before `day` (an ordinal)."""
    mask = 0
    for part in parts:
        facts = part.facts
        until = int(np.searchsorted(facts.expiry_days, day, side="left"))
        if until:
            mask |= mask_of_ids(facts.expiring[:until]) << part.offset
    return mask


def modified_since(parts: list[Part], instant: int) -> int:
    """The documents whose listing last changed at or after `instant` (documents.instant_of)."""
    mask = 0
    for part in parts:
        found = np.flatnonzero(part.facts.modified_at >= instant)
        if len(found):
            mask |= mask_of_ids(found.astype(np.int64)) << part.offset
    return mask


def _column(segment: Any, field: str, default: Any, count: int) -> list[Any]:
    if not segment.has_column(field):
        return [default] * count
    values = list(segment.column_reader(field))
    return values + [default] * (count - len(values))


class FactsCache:
    """Facts per segment id, for the segments of the newest generation; merged-away
    segments are forgotten when a generation no longer has them."""

    def __init__(self) -> None:
        self._facts: dict[str, SegmentFacts] = {}
        self._lock = threading.Lock()

    def facts(self, segment: Any) -> SegmentFacts:
        key = segment_id_of(segment)
        if key is None:  # not a stored segment (an empty index): nothing worth keeping
            return read_facts(segment)
        with self._lock:
            found = self._facts.get(key)
        if found is None:
            found = read_facts(segment)
            with self._lock:
                self._facts[key] = found
        return found

    def keep_only(self, segment_ids: set[str]) -> None:
        with self._lock:
            for key in [k for k in self._facts if k not in segment_ids]:
                del self._facts[key]


@dataclass(frozen=True)
class Part:
    offset: int  # the segment's first document number in the generation
    facts: SegmentFacts


class ListingOrder:
    """A generation's listings in name or price order, kept per segment and merged only for
    the page asked for: the first `start + size` matches of each segment, then the best of
    those across segments."""

    def __init__(self, parts: list[Part], size: int) -> None:
        self.parts = parts
        self.size = size
        self._offsets = [part.offset for part in parts]

    def in_name_order(self, docnums: list[int]) -> list[int]:
        """A few documents in the order `page` gives them (name, then number), without
        reading the whole index's bitset: for small groups such as one district's matches."""

        def key(docnum: int) -> tuple[str, int]:
            part = self.parts[bisect_right(self._offsets, docnum) - 1]
            return (part.facts.name_at[docnum - part.offset], docnum)

        return sorted(docnums, key=key)

    def page(self, matched: int, *, by_price: bool, start: int, size: int) -> list[int]:
        if not matched or size <= 0:
            return []
        wanted = start + size
        bits = bools_of(matched, self.size)
        runs = [self._run(bits, part, by_price, wanted) for part in self.parts]
        merged = heapq.merge(*runs)
        return [key[-1] for _, key in zip(range(wanted), merged, strict=False)][start:]

    @staticmethod
    def _run(
        bits: npt.NDArray[np.bool_], part: Part, by_price: bool, wanted: int
    ) -> Iterator[tuple[Any, ...]]:
        facts, offset = part.facts, part.offset
        order = facts.by_price if by_price else facts.by_name
        if not len(order):
            return
        chosen = order[bits[offset : offset + facts.count][order]][:wanted]
        names, prices = facts.name_at, facts.price_at
        for local in chosen.tolist():
            if by_price:
                yield (int(prices[local]), names[local], offset + local)
            else:
                yield (names[local], offset + local)
