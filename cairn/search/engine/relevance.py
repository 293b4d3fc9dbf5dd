"""Ranking text matches by BM25F, as Whoosh scores them, with whole-array arithmetic.

Whoosh's own top-N search scores one posting at a time through its matcher tree; an
unfiltered search for two common words at 10k listings spent about 100 ms there. A
document's score for a query of words is the sum, over the (field, word) terms it contains,
of BM25 of the term's weight and the document's field length, so it can be computed for
every posting of every term at once from the arrays in cairn.search.engine.postings. The scores are
Whoosh's (tests compare them); ties go to the lower document number, as in Whoosh."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from whoosh.query import Query
from whoosh.scoring import BM25FScorer
from whoosh.searching import Searcher

from cairn.search.engine.bitsets import bools_of
from cairn.search.engine.postings import PostingCache, leaves, segment_id_of


def scores(
    searcher: Searcher, query: Query, postings: PostingCache
) -> npt.NDArray[np.float64] | None:
    """Every document's score for a query of words (0 where it matches nothing), or None when
    the query or the weighting is not one this module knows how to score."""
    reader = searcher.reader()
    try:
        terms = list(leaves(reader, query))
    except TypeError:
        return None
    total = np.zeros(reader.doc_count_all(), dtype=np.float64)
    segments = list(reader.leaf_readers())
    generation = reader.generation()
    postings.forget_segments_except(
        generation, {sid for segment, _ in segments if (sid := segment_id_of(segment))}
    )
    for term in terms:
        if (term.field, term.word) not in reader:
            continue  # no document has it: it adds nothing
        if not searcher.schema[term.field].scorable:
            # A keyword field keeps no lengths: Whoosh scores its term by weight alone.
            for segment, offset in segments:
                found = postings.postings(segment, term.field, term.word)
                total[found.ids + offset] += found.weights.astype(np.float64) * term.boost
            continue
        found_stats = postings.term_stats(generation, term.field, term.word)
        if found_stats is None:
            scorer = searcher.weighting.scorer(searcher, term.field, term.word)
            if type(scorer) is not BM25FScorer:
                return None
            found_stats = (scorer.idf, scorer.avgfl, scorer.B, scorer.K1)
            postings.remember_term_stats(generation, term.field, term.word, found_stats)
        idf, avgfl, b, k1 = found_stats
        for segment, offset in segments:
            found = postings.postings(segment, term.field, term.word)
            if not len(found.ids):
                continue
            length = postings.lengths(segment, term.field)[found.ids]
            tf = found.weights.astype(np.float64)
            # whoosh.scoring.bm25, term by term in the same order of operations.
            score = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * length / avgfl)))
            total[found.ids + offset] += score * term.boost
    return total


def best(all_scores: npt.NDArray[np.float64], matched: int, wanted: int) -> list[int]:
    """The `wanted` best of the matched documents, best first; equal scores by document number."""
    if not matched or wanted <= 0:
        return []
    docs = np.flatnonzero(bools_of(matched, len(all_scores)))
    chosen = all_scores[docs]
    if wanted < len(docs):
        # Keep everything that scores at least the wanted-th best (ties included), then sort.
        threshold = np.partition(chosen, len(chosen) - wanted)[len(chosen) - wanted]
        keep = chosen >= threshold
        docs, chosen = docs[keep], chosen[keep]
    order = np.lexsort((docs, -chosen))[:wanted]
    return [int(d) for d in docs[order]]
