"""Answering a SearchRequest: matching, facet counts, ordering and paging.

Filters and facet counts work on bitsets of document numbers (see directory.bitsets); Whoosh is
used for what it is good at: stemmed text matching, fuzzy terms and BM25 relevance."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from typing import Any
from uuid import UUID

from whoosh.query import And, FuzzyTerm, Or, Query, Term
from whoosh.searching import Searcher

from directory.bitsets import Membership, docnums_of
from directory.documents import listing_from_json
from directory.index import SearchIndex, Snapshot
from directory.query import SearchRequest
from directory.schema import FACET_FIELDS
from directory.term_masks import TermMasks
from domain.directory.listing import PublicListing

TEXT_FIELDS = ("name", "service_text", "description")
FEW_RESULTS = 3
# Up to this many matches, relevance is scored document by document (cheaper than ranking
# every document the words match).
SCORE_DIRECTLY = 2000
# How many of the best text matches to rank and remember when no filter narrows them (the
# first few pages).
TOP_KEPT = 60
# How many filtered orders to keep per text match (each a list of up to SCORE_DIRECTLY ints).
FILTERED_ORDERS_KEPT = 16
# How text was matched, when it was not simply every word as typed.
WIDENED_SIMILAR = "similar"  # fuzzy terms
WIDENED_ANY_WORD = "any-word"  # some words matched, not all


@dataclass(frozen=True)
class Relaxation:
    """Dropping one part of the search, and how many results that would give."""

    part: str  # "q", "postcode", or a facet field such as "services"
    value: str | None  # the facet value to drop, when the part is a facet
    total: int


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    listings: list[PublicListing]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]]
    widened: str | None
    relaxations: tuple[Relaxation, ...]
    directory_total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass
class _TextMatch:
    """One text match in one index generation, and the orders worked out for it so far."""

    mask: int
    ranked: list[int] | None = None  # every match, best first
    best: list[int] | None = None  # the best few, when no filter narrows the match
    by_filter: dict[int, list[int]] = field(default_factory=dict)  # filtered matches, ranked


class _TextCache:
    """Recently used text matches for one index generation: the matching set, and (once asked
    for) every match in relevance order. Typing, ticking filters and paging repeat the same
    words, so scoring happens once per words per generation, not once per request."""

    def __init__(self, limit: int = 256) -> None:
        self.limit = limit
        self.key: Any = None
        self.items: OrderedDict[str, _TextMatch] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any, query: Query) -> _TextMatch | None:
        with self.lock:
            if key != self.key:
                return None
            found = self.items.get(repr(query))
            if found is not None:
                self.items.move_to_end(repr(query))
            return found

    def put(self, key: Any, query: Query, mask: int) -> _TextMatch:
        entry = _TextMatch(mask)
        with self.lock:
            if key != self.key:
                self.key = key
                self.items.clear()
            self.items[repr(query)] = entry
            while len(self.items) > self.limit:
                self.items.popitem(last=False)
        return entry

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


class Directory:
    """The public directory's search interface; the web layer and the API use only this."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self._texts = _TextCache()
        self._words = TermMasks()

    # -- single listings ------------------------------------------------------------------

    def listing(self, provider_id: UUID, today: date) -> PublicListing | None:
        """The public listing, or None if unknown or not visible today."""
        searcher = self.index.searcher()
        snapshot = self.index.snapshot(searcher)
        docnum = searcher.document_number(id=str(provider_id))
        if docnum is None or not _in(snapshot.live, docnum):
            return None
        if _in(self.index.expired_mask(snapshot, searcher, today.toordinal()), docnum):
            return None
        return listing_from_json(searcher.stored_fields(docnum)["listing"])

    def count(self, today: date) -> int:
        searcher = self.index.searcher()
        snapshot = self.index.snapshot(searcher)
        return (
            snapshot.live & ~self.index.expired_mask(snapshot, searcher, today.toordinal())
        ).bit_count()

    # -- searching ------------------------------------------------------------------------

    def search(
        self, request: SearchRequest, today: date, *, with_facets: bool = True
    ) -> SearchResult:
        searcher = self.index.searcher()
        snapshot = self.index.snapshot(searcher)
        visible = snapshot.live & ~self.index.expired_mask(snapshot, searcher, today.toordinal())
        place = (
            self.index.district_mask(snapshot, searcher, request.district)
            if request.district
            else visible
        )
        filters = {
            name: _any_of(snapshot, name, values)
            for name, values in request.facet_filters.items()
            if values
        }
        all_filters = reduce(lambda a, b: a & b, filters.values(), visible & place)

        terms = _terms(self.index, request.text)
        text_query: Query | None = None
        widened: str | None = None
        text = visible
        if terms:
            text_query, text, widened = self._match_text(snapshot, searcher, terms, all_filters)
        matched = all_filters & text

        facets: dict[str, dict[str, int]] = {}
        if with_facets:
            base = visible & place & text
            for name in FACET_FIELDS:
                others = reduce(
                    lambda a, b: a & b,
                    (mask for other, mask in filters.items() if other != name),
                    base,
                )
                facets[name] = {
                    value: (others & mask).bit_count()
                    for value, mask in snapshot.facets.get(name, {}).items()
                }

        total = matched.bit_count()
        pages = max(1, math.ceil(total / request.per_page))
        page = min(request.page, pages)
        start = (page - 1) * request.per_page
        docnums = self._page(
            searcher, snapshot, request, text_query, matched, start, request.per_page
        )
        listings = [listing_from_json(searcher.stored_fields(d)["listing"]) for d in docnums]

        relaxations: tuple[Relaxation, ...] = ()
        if total == 0 and request.has_criteria:
            relaxations = _relaxations(
                request, visible, place, text if terms else visible, filters, snapshot
            )
        return SearchResult(
            request=request,
            listings=listings,
            total=total,
            page=page,
            per_page=request.per_page,
            facets=facets,
            widened=widened,
            relaxations=relaxations,
            directory_total=visible.bit_count(),
        )

    def _text_entry(self, snapshot: Snapshot, searcher: Searcher, query: Query) -> _TextMatch:
        entry = self._texts.get(snapshot.key, query)
        if entry is None:
            mask = self._words.query_mask(searcher, query) & snapshot.live
            entry = self._texts.put(snapshot.key, query, mask)
        return entry

    def _text_mask(self, snapshot: Snapshot, searcher: Searcher, query: Query) -> int:
        return self._text_entry(snapshot, searcher, query).mask

    def _ranked(self, snapshot: Snapshot, searcher: Searcher, query: Query) -> list[int]:
        """Every text match, best first (BM25 with the name and service fields boosted)."""
        entry = self._text_entry(snapshot, searcher, query)
        if entry.ranked is None:
            results = searcher.search(query, limit=None)
            entry.ranked = [hit.docnum for hit in results]
        return entry.ranked

    def forget_recent_searches(self) -> None:
        """Drop every remembered match (benchmarks use this to measure cold searches)."""
        self._texts.clear()
        self._words.clear()

    def _match_text(
        self, snapshot: Snapshot, searcher: Searcher, terms: list[str], allowed: int
    ) -> tuple[Query, int, str | None]:
        """Every word as typed; if that finds too few, similar spellings; then any word."""
        exact = And([_word(t) for t in terms])
        exact_mask = self._text_mask(snapshot, searcher, exact)
        found = (exact_mask & allowed).bit_count()
        if found >= FEW_RESULTS:
            return exact, exact_mask, None
        similar = And([_word(t, fuzzy=True) for t in terms])
        similar_mask = self._text_mask(snapshot, searcher, similar)
        if (similar_mask & allowed).bit_count() > found:
            return similar, similar_mask, WIDENED_SIMILAR
        if found or len(terms) == 1:
            return exact, exact_mask, None
        any_word = Or([_word(t, fuzzy=True) for t in terms])
        any_mask = self._text_mask(snapshot, searcher, any_word)
        if any_mask & allowed:
            return any_word, any_mask, WIDENED_ANY_WORD
        return exact, exact_mask, None

    def _page(
        self,
        searcher: Searcher,
        snapshot: Snapshot,
        request: SearchRequest,
        text_query: Query | None,
        matched: int,
        start: int,
        size: int,
    ) -> list[int]:
        if not matched:
            return []
        if request.sort == "relevance" and text_query is not None:
            count = matched.bit_count()
            entry = self._text_entry(snapshot, searcher, text_query)
            if entry.ranked is None and count <= SCORE_DIRECTLY:
                # Few matches after the filters: score just those, not every text match, and
                # remember the order for the next page or the same search again.
                by_filter = entry.by_filter
                ranked = by_filter.get(matched)
                if ranked is None:
                    scores = _scores(searcher, text_query, docnums_of(matched))
                    ranked = sorted(scores, key=lambda d: (-scores[d], d))
                    with self._texts.lock:
                        if len(by_filter) >= FILTERED_ORDERS_KEPT:
                            by_filter.pop(next(iter(by_filter)))
                        by_filter[matched] = ranked
                return ranked[start : start + size]
            if entry.ranked is None and count == entry.mask.bit_count():
                # No filter narrows the words: Whoosh's own top-N skips low-scoring blocks.
                # The best few are remembered, for the next page and the next person.
                best = entry.best
                if best is None or (len(best) < start + size and len(best) < count):
                    limit = max(start + size, TOP_KEPT)
                    best = [hit.docnum for hit in searcher.search(text_query, limit=limit)]
                    entry.best = best
                return best[start : start + size]
            order = self._ranked(snapshot, searcher, text_query)
        elif request.sort == "price":
            order = snapshot.price_order
        else:
            order = snapshot.name_order
        members = Membership(matched, snapshot.size)
        chosen: list[int] = []
        skipped = 0
        for docnum in order:
            if docnum in members:
                if skipped < start:
                    skipped += 1
                    continue
                chosen.append(docnum)
                if len(chosen) == size:
                    break
        return chosen


def _scores(searcher: Searcher, query: Query, docnums: Iterable[int]) -> dict[int, float]:
    """BM25 scores of the given documents (ascending docnums) for the query."""
    matcher = query.matcher(searcher, searcher.context())
    scores: dict[int, float] = {}
    for docnum in docnums:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                break
        if matcher.id() == docnum:
            scores[docnum] = matcher.score()
    return scores


def _in(mask: int, docnum: int) -> bool:
    return bool(mask >> docnum & 1)


def _any_of(snapshot: Snapshot, field: str, values: tuple[str, ...]) -> int:
    masks = snapshot.facets.get(field, {})
    return reduce(lambda a, b: a | b, (masks.get(v, 0) for v in values), 0)


def _terms(index: SearchIndex, text: str) -> list[str]:
    """The stemmed, stop-word-free words of the query, as the index stores them.

    Nothing is parsed as query syntax: quotes, brackets, AND/OR are just characters."""
    if not text:
        return []
    analyzer = index.schema["description"].analyzer
    terms = [token.text for token in analyzer(text)]
    return list(dict.fromkeys(terms))[:12]


def _word(term: str, fuzzy: bool = False) -> Query:
    if fuzzy and len(term) >= 4:
        distance = 1 if len(term) < 7 else 2
        return Or([FuzzyTerm(f, term, maxdist=distance, prefixlength=1) for f in TEXT_FIELDS])
    return Or([Term(f, term) for f in TEXT_FIELDS])


def _relaxations(
    request: SearchRequest,
    visible: int,
    place: int,
    text: int,
    filters: dict[str, int],
    snapshot: Snapshot,
) -> tuple[Relaxation, ...]:
    """How many results each single change would give: the empty page's suggestions."""

    def combined(place_mask: int, text_mask: int, chosen: dict[str, int]) -> int:
        return reduce(lambda a, b: a & b, chosen.values(), visible & place_mask & text_mask)

    found: list[Relaxation] = []
    if request.district:
        found.append(Relaxation("postcode", None, combined(visible, text, filters).bit_count()))
    for name, values in request.facet_filters.items():
        for value in values:
            rest = tuple(v for v in values if v != value)
            others = {k: m for k, m in filters.items() if k != name}
            if rest:
                others[name] = _any_of(snapshot, name, rest)
            found.append(Relaxation(name, value, combined(place, text, others).bit_count()))
    if request.text:
        found.append(Relaxation("q", None, combined(place, visible, filters).bit_count()))
    return tuple(r for r in found if r.total > 0)


def coverage(directory: Directory, district: str, service: str | None, today: date) -> int:
    """How many visible listings cover a district (offering a service, if one is given)."""
    index = directory.index
    searcher = index.searcher()
    snapshot = index.snapshot(searcher)
    mask = index.district_mask(snapshot, searcher, district) & ~index.expired_mask(
        snapshot, searcher, today.toordinal()
    )
    if service:
        mask &= snapshot.facets.get("services", {}).get(service, 0)
    return mask.bit_count()
