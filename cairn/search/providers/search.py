"""Answering a SearchRequest: matching, facet counts, ordering and paging.

Filters and facet counts work on bitsets of document numbers (see cairn.search.engine.bitsets);
Whoosh is used for what it is good at: stemmed text matching, fuzzy terms and BM25 relevance."""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import reduce
from uuid import UUID

from whoosh.query import And, FuzzyTerm, Or, Query, Term
from whoosh.searching import Searcher

from cairn.domain.directory.intake import Intake
from cairn.domain.directory.listing import PublicListing
from cairn.domain.geo.places import Gazetteer, packaged_gazetteer
from cairn.search.engine.postings import PostingCache, leaves
from cairn.search.engine.relevance import best, scores
from cairn.search.engine.warmup import Warmed, Warmer
from cairn.search.providers.documents import instant_of, listing_from_json
from cairn.search.providers.filters import FacetCounts, Filters
from cairn.search.providers.index import SearchIndex, Snapshot
from cairn.search.providers.nearby import NearbyDistrict, Nearness, Proximity, ProximityCache
from cairn.search.providers.query import SearchRequest
from cairn.search.providers.schema import DISTRICT_FIELD, INTAKE_FIELD
from cairn.search.providers.snippets import SnippetPart, snippet
from cairn.search.providers.text_cache import TextCache
from cairn.search.providers.words import Concept, QueryWords, read_query

TEXT_FIELDS = ("name", "service_text", "description")
log = logging.getLogger(__name__)
FEW_RESULTS = 3
# What offering the service an everyday word means (or speaking the language) adds to a
# listing's score: far below any text match, so listings that say the words come first.
MEANING_BOOST = 0.01
NEARBY_SUGGESTIONS = 3  # named districts offered when nobody is near enough
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
    facets: FacetCounts
    widened: str | None
    relaxations: tuple[Relaxation, ...]
    directory_total: int
    marked_terms: frozenset[str] = frozenset()  # description terms the text matched
    # With a place: how far each listing on the page is (None: no district we can place),
    # and, when none is near enough, the nearest districts that have some.
    nearness: tuple[Nearness | None, ...] = ()
    nearby: tuple[NearbyDistrict, ...] = ()

    def snippet(self, listing: PublicListing) -> tuple[SnippetPart, ...]:
        """A piece of the listing's description with the words that matched marked."""
        return snippet(listing.description, self.marked_terms)

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


@dataclass(frozen=True)
class _Matching:
    """What a request matches in one generation, and the masks it was made from."""

    visible: int
    proximity: Proximity | None
    place: int
    filters: Filters
    terms: QueryWords
    text_query: Query | None
    text: int
    widened: str | None
    matched: int


class Directory:
    """The public directory's search interface; the web layer and the API use only this."""

    def __init__(self, index: SearchIndex, gazetteer: Gazetteer | None = None) -> None:
        self.index = index
        self.gazetteer = gazetteer or packaged_gazetteer()
        self._texts = TextCache()
        self._words = PostingCache()
        self._proximity = ProximityCache(self.gazetteer)
        self._warmer = Warmer(self._words, TEXT_FIELDS)
        self._warming: threading.Thread | None = None
        self._warm_lock = threading.Lock()
        self._seen_generation: int | None = None
        self.warmed = threading.Event()  # set once the first warm-up has finished

    # -- warming up -------------------------------------------------------------------------

    def warm_up(self, stop: threading.Event | None = None) -> Warmed:
        """Read the newest generation's facts (the snapshot) and its commonest words'
        postings, so that the first searches after a start or a merge are not the slow ones."""
        searcher = self.index.searcher()
        self.index.snapshot(searcher)
        warmed = self._warmer.warm(searcher.reader(), stop)
        self.warmed.set()
        return warmed

    def warm_in_background(self) -> None:
        """Warm up in a thread of its own, unless one is already at it."""
        with self._warm_lock:
            if self._warming is not None and self._warming.is_alive():
                return
            self._warming = threading.Thread(target=self._warm_quietly, name="index-warm-up")
            self._warming.daemon = True
            self._warming.start()

    def _warm_quietly(self) -> None:
        try:
            warmed = self.warm_up()
        except Exception:  # an index being replaced under it: the next generation tries again
            log.warning("warming the search index failed", exc_info=True)
            return
        if warmed.words:
            log.info(
                "search index warmed: %d segments, %d words, %.1f MiB in %.2f s",
                warmed.segments,
                warmed.words,
                warmed.bytes / 2**20,
                warmed.seconds,
            )

    def _notice_generation(self, searcher: Searcher) -> None:
        """A new generation (a write, or a merge's new segment): warm what it adds."""
        generation = searcher.reader().generation()
        if generation != self._seen_generation:
            self._seen_generation = generation
            if self.warmed.is_set():
                self.warm_in_background()

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
        self._notice_generation(searcher)
        snapshot = self.index.snapshot(searcher)
        found = self._matching(snapshot, searcher, request, today)
        visible, place, filters, text = found.visible, found.place, found.filters, found.text
        proximity, text_query, matched = found.proximity, found.text_query, found.matched
        terms, widened = found.terms, found.widened
        facets = filters.counts(visible & place & text, matched) if with_facets else None

        total = matched.bit_count()
        pages = max(1, math.ceil(total / request.per_page))
        page = min(request.page, pages)
        start = (page - 1) * request.per_page
        docnums = self._page(
            searcher, snapshot, request, text_query, matched, start, request.per_page, proximity
        )
        listings = [listing_from_json(searcher.stored_fields(d)["listing"]) for d in docnums]

        relaxations: tuple[Relaxation, ...] = ()
        nearby: list[NearbyDistrict] = []
        if total == 0 and request.has_criteria:
            relaxations = _relaxations(request, visible, place, text if terms else visible, filters)
            if proximity is not None and request.within is not None:
                others = filters.all_except(None, visible & text)
                nearby = proximity.nearest_districts(others, request.within, NEARBY_SUGGESTIONS)
        return SearchResult(
            request=request,
            listings=listings,
            total=total,
            page=page,
            per_page=request.per_page,
            facets=facets or FacetCounts.none(),
            widened=widened,
            relaxations=relaxations,
            directory_total=visible.bit_count(),
            marked_terms=_description_terms(searcher, text_query) if listings else frozenset(),
            nearness=tuple(proximity.nearness(item.areas_covered) for item in listings)
            if proximity is not None
            else (),
            nearby=tuple(nearby),
        )

    def every_match(self, request: SearchRequest, today: date) -> Iterator[PublicListing]:
        """Every listing the request matches, as `search` matches them but in name order and
        unpaged, all from one index generation and read as they are yielded: a feed of the
        whole directory (the API's ndjson export)."""
        searcher = self.index.searcher()
        snapshot = self.index.snapshot(searcher)
        matched = self._matching(snapshot, searcher, request, today).matched
        docnums = snapshot.order.page(matched, by_price=False, start=0, size=matched.bit_count())
        for docnum in docnums:
            yield listing_from_json(searcher.stored_fields(docnum)["listing"])

    def _matching(
        self, snapshot: Snapshot, searcher: Searcher, request: SearchRequest, today: date
    ) -> _Matching:
        visible = self._visible(snapshot, searcher, request, today)
        proximity = self._near(snapshot, request)
        place = self._place_mask(snapshot, searcher, request, proximity, visible)
        filters = Filters(snapshot.facets, request, snapshot.live)
        all_filters = filters.all_except(None, visible & place)
        terms = read_query(request.text)
        text_query: Query | None = None
        widened: str | None = None
        text = visible
        if terms:
            text_query, text, widened = self._match_text(snapshot, searcher, terms, all_filters)
        return _Matching(
            visible=visible,
            proximity=proximity,
            place=place,
            filters=filters,
            terms=terms,
            text_query=text_query,
            text=text,
            widened=widened,
            matched=all_filters & text,
        )

    def _visible(
        self, snapshot: Snapshot, searcher: Searcher, request: SearchRequest, today: date
    ) -> int:
        """The listings any search may show today, less those the request leaves out whatever
        it looks for (the full ones, those unchanged since `modified_after`, other providers'
        when one is asked for)."""
        visible = snapshot.live & ~self.index.expired_mask(snapshot, searcher, today.toordinal())
        if request.hide_full:
            visible &= ~snapshot.facets.get(INTAKE_FIELD, {}).get(Intake.FULL.value, 0)
        if request.modified_after is not None:
            visible &= self.index.modified_mask(snapshot, instant_of(request.modified_after))
        if request.provider_id is not None:
            docnum = searcher.document_number(id=str(request.provider_id))
            visible &= 0 if docnum is None else 1 << docnum
        return visible

    def _near(self, snapshot: Snapshot, request: SearchRequest) -> Proximity | None:
        if request.place is None:
            return None
        masks = snapshot.facets.get(DISTRICT_FIELD, {})
        return self._proximity.proximity(snapshot.key, masks, request.place)

    def _place_mask(
        self,
        snapshot: Snapshot,
        searcher: Searcher,
        request: SearchRequest,
        proximity: Proximity | None,
        visible: int,
    ) -> int:
        """The listings the place allows: near enough, covering the district, or everyone."""
        if proximity is not None:
            return visible if request.within is None else proximity.within(request.within)
        if request.district:
            return self.index.district_mask(snapshot, searcher, request.district)
        if request.place_unresolved:
            return 0  # a place we could not find: a message, never every provider
        return visible

    def _text_mask(self, snapshot: Snapshot, searcher: Searcher, query: Query) -> int:
        mask = self._texts.get(snapshot.key, query)
        if mask is None:
            mask = self._words.query_mask(searcher, query) & snapshot.live
            self._texts.put(snapshot.key, query, mask)
        return mask

    def _best_matches(
        self, searcher: Searcher, query: Query, matched: int, wanted: int
    ) -> list[int]:
        """The best `wanted` of the matched documents by relevance (BM25F with the name and
        service fields boosted), best first."""
        all_scores = scores(searcher, query, self._words)
        if all_scores is not None:
            return best(all_scores, matched, wanted)
        # A query the array scorer does not know: Whoosh ranks it, slower but the same.
        ranked = (hit.docnum for hit in searcher.search(query, limit=None))
        return [d for d in ranked if matched >> d & 1][:wanted]

    def forget_recent_searches(self) -> None:
        """Drop every remembered match (benchmarks use this to measure new searches)."""
        self._texts.clear()

    def forget_postings(self) -> None:
        """Drop the postings read from the index (benchmarks: a word's first search)."""
        self._words.clear()
        self._warmer.forget()

    def _match_text(
        self, snapshot: Snapshot, searcher: Searcher, words: QueryWords, allowed: int
    ) -> tuple[Query, int, str | None]:
        """Every word as typed (each everyday phrase as its meaning or its own words); if
        that finds too few, similar spellings of the plain words; then any word or phrase."""
        meanings = [_meaning(concept) for concept in words.concepts]
        exact = And(meanings + [_word(t) for t in words.terms])
        exact_mask = self._text_mask(snapshot, searcher, exact)
        found = (exact_mask & allowed).bit_count()
        if found >= FEW_RESULTS or not words.terms:
            return exact, exact_mask, None
        similar = And(meanings + [_word(t, fuzzy=True) for t in words.terms])
        similar_mask = self._text_mask(snapshot, searcher, similar)
        if (similar_mask & allowed).bit_count() > found:
            return similar, similar_mask, WIDENED_SIMILAR
        if found or len(meanings) + len(words.terms) == 1:
            return exact, exact_mask, None
        any_word = Or(meanings + [_word(t, fuzzy=True) for t in words.terms])
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
        proximity: Proximity | None,
    ) -> list[int]:
        if not matched:
            return []
        if request.sort == "distance" and proximity is not None:
            return proximity.nearest_first(
                matched,
                start,
                size,
                lambda mask, skip, count: snapshot.order.page(
                    mask, by_price=False, start=skip, size=count
                ),
                snapshot.order.in_name_order,
            )
        if request.sort == "relevance" and text_query is not None:
            return self._best_matches(searcher, text_query, matched, start + size)[start:]
        return snapshot.order.page(
            matched, by_price=request.sort == "price", start=start, size=size
        )


def _in(mask: int, docnum: int) -> bool:
    return bool(mask >> docnum & 1)


def _meaning(concept: Concept) -> Query:
    """An everyday phrase: listings offering the service (or speaking the language) it means,
    or whose text says the phrase's own words."""
    parts: list[Query] = [Term("services", key, boost=MEANING_BOOST) for key in concept.services]
    parts += [Term("languages", code, boost=MEANING_BOOST) for code in concept.languages]
    if concept.terms:
        parts.append(And([_word(t) for t in concept.terms]))
    return Or(parts)


def _description_terms(searcher: Searcher, query: Query | None) -> frozenset[str]:
    """The description's words the query matched (fuzzy terms as the words they stood for)."""
    if query is None:
        return frozenset()
    try:
        found = leaves(searcher.reader(), query)
        return frozenset(leaf.word for leaf in found if leaf.field == "description")
    except TypeError:
        return frozenset()


def _word(term: str, fuzzy: bool = False) -> Query:
    if fuzzy and len(term) >= 4:
        distance = 1 if len(term) < 7 else 2
        return Or([FuzzyTerm(f, term, maxdist=distance, prefixlength=1) for f in TEXT_FIELDS])
    return Or([Term(f, term) for f in TEXT_FIELDS])


def _relaxations(
    request: SearchRequest, visible: int, place: int, text: int, filters: Filters
) -> tuple[Relaxation, ...]:
    """How many results each single change would give: the empty page's suggestions."""

    def combined(place_mask: int, text_mask: int, masks: dict[str, int]) -> int:
        return reduce(lambda a, b: a & b, masks.values(), visible & place_mask & text_mask)

    found: list[Relaxation] = []
    if request.district or request.place:
        found.append(
            Relaxation("postcode", None, combined(visible, text, filters.masks).bit_count())
        )
    for name, values in request.facet_filters.items():
        for value in values:
            masks = filters.without_value(name, value)
            found.append(Relaxation(name, value, combined(place, text, masks).bit_count()))
    if request.text:
        found.append(Relaxation("q", None, combined(place, visible, filters.masks).bit_count()))
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
