"""Which documents contain a word, as a bitset, remembered per index segment.

Matching text through Whoosh's matcher tree (an And of Ors over three fields) walks every
posting one Python call at a time, several calls deep: for common words at 10k listings that
was tens of milliseconds a search. Here each (field, word) posting list is read block by
block into a bitset once per segment. Segments never change once written (deletions are
masked out by the snapshot's `live` set), so a new generation, which adds one small
segment, costs only that segment's postings, and an exact text match is a few big-integer
ANDs and ORs."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from whoosh.query import And, FuzzyTerm, Or, Query, Term
from whoosh.searching import Searcher

from directory.bitsets import mask_of


class TermMasks:
    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit  # (segment, field, word) entries kept
        self._cache: OrderedDict[tuple[str, str, str], int] = OrderedDict()
        self._lock = threading.Lock()

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
            from_bytes = reader.schema[query.fieldname].from_bytes
            either = 0
            for field, text in query.expanded_terms(reader):
                word = text if isinstance(text, str) else from_bytes(text)
                either |= self.term_mask(reader, field, word)
            return either
        if type(query) is Term:
            return self.term_mask(reader, query.fieldname, query.text)
        return mask_of(query.docs(searcher), reader.doc_count_all())

    def term_mask(self, reader: Any, field: str, word: str) -> int:
        total = 0
        for leaf, offset in reader.leaf_readers():
            segment = getattr(leaf, "segment", lambda: None)()
            if segment is None:  # not a stored segment: nothing worth remembering
                total |= mask_of(_posting_ids(leaf, field, word), leaf.doc_count_all()) << offset
                continue
            key = (segment.segment_id(), field, word)
            with self._lock:
                local = self._cache.get(key)
                if local is not None:
                    self._cache.move_to_end(key)
            if local is None:
                local = mask_of(_posting_ids(leaf, field, word), leaf.doc_count_all())
                with self._lock:
                    self._cache[key] = local
                    while len(self._cache) > self.limit:
                        self._cache.popitem(last=False)
            total |= local << offset
        return total

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()


def _posting_ids(leaf: Any, field: str, word: str) -> Iterable[int]:
    """Every document number in one segment's posting list, deleted documents included."""
    if (field, word) not in leaf:
        return ()
    matcher = leaf.postings(field, word)
    while hasattr(matcher, "child") and not hasattr(matcher, "_read_ids"):
        matcher = matcher.child  # past the wrapper that hides deleted documents
    if not hasattr(matcher, "_read_ids"):
        return list(matcher.all_ids())  # another codec: the slower, public way
    # Whoosh 3 codec: take each block's id array whole instead of one posting at a time.
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i :])
        matcher._next_block()
    return ids
