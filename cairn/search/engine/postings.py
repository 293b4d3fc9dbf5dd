"""Which documents contain a word, and how often, remembered per index segment.

Matching and ranking text through Whoosh's matcher tree (an And of Ors over three fields)
walks every posting one Python call at a time, several calls deep: for common words at 10k
listings that was tens of milliseconds a search, and ranking them by BM25 was ten times more.
Here each (field, word) posting list is read block by block once per segment into arrays of
document numbers and term weights (and a bitset of the same documents). Segments never change
once written (deletions are masked out by the snapshot's `live` set), so a new generation,
which adds one small segment, costs only that segment's postings; an exact text match is a
few big-integer ANDs and ORs, and ranking is arithmetic on whole arrays
(cairn.search.engine.relevance).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.query import And, FuzzyTerm, Or, Query, Term
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from cairn.search.engine.bitsets import mask_of, mask_of_ids

# Whoosh stores each document's field length as one byte (a logarithmic approximation).
_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
# How much memory the remembered postings may take before the least recently used go.
DEFAULT_LIMIT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Postings:
    """One word in one field of one segment: its documents (ascending, deleted ones included),
    the word's weight in each (frequency times the field's boost), and the same documents as a
    bitset."""

    ids: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float32]
    mask: int

    @property
    def size(self) -> int:
        return int(self.ids.nbytes + self.weights.nbytes) + len(self.ids) // 8 + 64


_EMPTY = Postings(np.zeros(0, np.int64), np.zeros(0, np.float32), 0)


@dataclass(frozen=True)
class Leaf:
    """One word of a query in one field, and how much its score counts."""

    field: str
    word: str
    boost: float


class PostingCache:
    """Posting arrays and field lengths per segment, least recently used dropped first."""

    def __init__(self, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> None:
        self.limit_bytes = limit_bytes
        self._postings: OrderedDict[tuple[str, str, str], Postings] = OrderedDict()
        self._bytes = 0
        self._lengths: dict[tuple[str, str], npt.NDArray[np.float64]] = {}
        # A word's BM25 figures (idf, average field length, B, K1) depend on the whole
        # generation, and Whoosh looks them up in the terms file for every search.
        self._stats_generation: int | None = None
        self._stats: dict[tuple[str, str], tuple[float, float, float, float]] = {}
        # The newest generation whose segments were looked at by forget_segments_except.
        self._segments_generation = -1
        self._lock = threading.Lock()

    # -- matching -------------------------------------------------------------------------

    def query_mask(self, searcher: Searcher, query: Query) -> int:
        """The documents a query of Ands, Ors, Terms and FuzzyTerms matches (deleted ones
        included), built from word bitsets; any other query is matched by Whoosh itself."""
        reader = searcher.reader()
        if isinstance(query, And):
            result: int | None = None
            for part in query.subqueries:
                mask = self.query_mask(searcher, part)
                result = mask if result is None else result & mask
                if not result:
                    return 0
            return result or 0
        if isinstance(query, Or):
            either = 0
            for part in query.subqueries:
                either |= self.query_mask(searcher, part)
            return either
        if isinstance(query, FuzzyTerm):  # before Term: it is one
            either = 0
            for leaf in leaves(reader, query):
                either |= self.term_mask(reader, leaf.field, leaf.word)
            return either
        if type(query) is Term:
            return self.term_mask(reader, query.fieldname, query.text)
        return mask_of(query.docs(searcher), reader.doc_count_all())

    def term_mask(self, reader: Any, field: str, word: str) -> int:
        total = 0
        for segment, offset in reader.leaf_readers():
            total |= self.postings(segment, field, word).mask << offset
        return total

    # -- the arrays -----------------------------------------------------------------------

    def postings(self, segment: Any, field: str, word: str) -> Postings:
        """One segment's postings for a word (read once per segment, then remembered)."""
        segment_id = segment_id_of(segment)
        if segment_id is None:  # not a stored segment: nothing worth remembering
            return _read_postings(segment, field, word)
        key = (segment_id, field, word)
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        found = _read_postings(segment, field, word)
        with self._lock:
            if key not in self._postings:
                self._postings[key] = found
                self._bytes += found.size
            while self._bytes > self.limit_bytes and len(self._postings) > 1:
                _, dropped = self._postings.popitem(last=False)
                self._bytes -= dropped.size
        return found

    def lengths(self, segment: Any, field: str) -> npt.NDArray[np.float64]:
        """Every document's length of one field in one segment, as Whoosh's scoring sees it."""
        segment_id = segment_id_of(segment)
        key = (segment_id or "", field)
        with self._lock:
            found = self._lengths.get(key)
        if found is None:
            found = _read_lengths(segment, field)
            if segment_id is not None:
                with self._lock:
                    self._lengths[key] = found
        return found

    def term_stats(
        self, generation: int, field: str, word: str
    ) -> tuple[float, float, float, float] | None:
        with self._lock:
            if generation != self._stats_generation:
                return None
            return self._stats.get((field, word))

    def remember_term_stats(
        self, generation: int, field: str, word: str, stats: tuple[float, float, float, float]
    ) -> None:
        with self._lock:
            if generation != self._stats_generation:
                if self._stats_generation is not None and generation < self._stats_generation:
                    return  # an older searcher's figures: the newest generation's are kept
                self._stats_generation, self._stats = generation, {}
            if len(self._stats) < 10_000:
                self._stats[(field, word)] = stats

    def forget_segments_except(self, generation: int, segment_ids: set[str]) -> None:
        """On a newer generation, drop what is kept for segments it no longer has (merged
        away): field lengths are not bounded by the LRU limit, so without this every merge
        would leave its old segments' arrays behind for the life of the process. A searcher
        still on an older generation changes nothing."""
        with self._lock:
            if generation <= self._segments_generation:
                return
            self._segments_generation = generation
            for key in [k for k in self._lengths if k[0] not in segment_ids]:
                del self._lengths[key]
            for gone in [k for k in self._postings if k[0] not in segment_ids]:
                self._bytes -= self._postings.pop(gone).size

    def clear(self) -> None:
        with self._lock:
            self._postings.clear()
            self._bytes = 0
            self._lengths.clear()
            self._stats_generation, self._stats = None, {}
            self._segments_generation = -1


def leaves(reader: Any, query: Query, boost: float = 1.0) -> Iterator[Leaf]:
    """The (field, word) terms whose scores add up to a document's score for the query: Whoosh
    scores an And or an Or as the sum of its matching parts, and a fuzzy term as the Or of the
    words it expands to."""
    boost *= query.boost
    if isinstance(query, And | Or):
        for part in query.subqueries:
            yield from leaves(reader, part, boost)
    elif isinstance(query, FuzzyTerm):
        from_bytes = reader.schema[query.fieldname].from_bytes
        for field, text in query.expanded_terms(reader):
            yield Leaf(field, text if isinstance(text, str) else from_bytes(text), boost)
    elif type(query) is Term:
        yield Leaf(query.fieldname, query.text, boost)
    else:
        raise TypeError(f"not a query of words: {query!r}")


def segment_id_of(segment: Any) -> str | None:
    """The id of a stored segment's reader (None for a reader of no stored segment)."""
    stored = getattr(segment, "segment", lambda: None)()
    return None if stored is None else str(stored.segment_id())


def read_posting_ids(segment: Any, field: str, word: str) -> npt.NDArray[np.int64]:
    """The documents of one segment that have a word in a field, deleted ones included."""
    return _read_postings(segment, field, word).ids


def _read_postings(segment: Any, field: str, word: str) -> Postings:
    if (field, word) not in segment:
        return _EMPTY
    matcher = segment.postings(field, word)
    while hasattr(matcher, "child") and not hasattr(matcher, "_read_ids"):
        matcher = matcher.child  # past the wrapper that hides deleted documents
    ids: list[int] = []
    weights: list[float] = []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_read_weights"):
        # Whoosh 3 codec: take each block's arrays whole instead of one posting at a time.
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            ids.extend(matcher._ids[matcher._i :])
            weights.extend(matcher._weights[matcher._i :])
            matcher._next_block()
    else:  # short lists kept inline, or another codec: the slower, public way
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    id_array = np.array(ids, dtype=np.int64)
    return Postings(id_array, np.array(weights, dtype=np.float32), mask_of_ids(id_array))


def _read_lengths(segment: Any, field: str) -> npt.NDArray[np.float64]:
    count = segment.doc_count_all()
    stored = _length_bytes(segment, field)
    if stored is None:  # another codec: ask document by document (slower, same answer)
        return np.array(
            [segment.doc_field_length(d, field, 0) or 0 for d in range(count)], dtype=np.float64
        )
    codes = np.zeros(count, dtype=np.uint8)  # documents past the stored ones have length 0
    codes[: min(len(stored), count)] = stored[:count]
    return _BYTE_TO_LENGTH[codes]


def _length_bytes(segment: Any, field: str) -> npt.NDArray[np.uint8] | None:
    """Whoosh 3's one-byte-per-document length column, read whole in one call (Whoosh itself
    reads it a document at a time); None when the segment is stored some other way."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = segment._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    except (AttributeError, ImportError):
        return None
    if column is None:  # no document in the segment has the field
        return np.zeros(0, dtype=np.uint8)
    if getattr(column, "_fixedlen", None) != 1 or not hasattr(column, "_dbfile"):
        return None
    return np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
