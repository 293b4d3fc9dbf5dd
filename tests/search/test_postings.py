"""Word postings read block by block per segment match what Whoosh itself finds and scores."""

from __future__ import annotations

import random
from pathlib import Path
from uuid import UUID

from whoosh.query import And, Or, Term

from cairn.domain.directory.listing import PublicListing
from cairn.search.engine.bitsets import docnums_of, mask_of
from cairn.search.engine.postings import PostingCache, segment_id_of
from cairn.search.engine.relevance import scores
from cairn.search.providers.index import SearchIndex
from cairn.search.providers.search import TEXT_FIELDS
from tests.search.rounds import WORDS, listing, rounds_of_writes


def every_word(words: list[str]) -> And:
    return And([Or([Term(field, word) for field in TEXT_FIELDS]) for word in words])


def whoosh_match(index: SearchIndex, words: list[str]) -> set[int]:
    return set(every_word(words).docs(index.searcher()))


def test_word_masks_match_whoosh_over_many_segments_with_deletions(tmp_path: Path) -> None:
    rng = random.Random(3)
    index = SearchIndex(tmp_path / "providers")
    masks = PostingCache()
    for round_number in rounds_of_writes(index, listing, rng, rounds=6, size=300, churn=40):
        searcher = index.searcher()
        snapshot = index.snapshot(searcher)
        for words in (["garden"], ["meal", "compani"], ["dementia", "pet", "walk"], ["absent"]):
            ours = masks.query_mask(searcher, every_word(words)) & snapshot.live
            assert set(docnums_of(ours)) == whoosh_match(index, words), (round_number, words)
    assert len(list(index.searcher().reader().leaf_readers())) > 1


def test_a_new_generation_reuses_the_old_segments_bitsets(tmp_path: Path) -> None:
    rng = random.Random(5)
    index = SearchIndex(tmp_path / "providers")
    index.write({str(UUID(int=n + 1)): listing(rng, n) for n in range(500)}, expected=0, position=1)
    masks = PostingCache()
    masks.query_mask(index.searcher(), every_word(["garden"]))
    remembered = len(masks._postings)
    index.write({str(UUID(int=9999)): listing(rng, 9998)}, expected=1, position=2)
    searcher = index.searcher()
    ours = masks.query_mask(searcher, every_word(["garden"]))
    segments = len(list(searcher.reader().leaf_readers()))
    # Only the new segment was read: one entry per field for it, the rest came from before.
    assert len(masks._postings) == remembered + len(TEXT_FIELDS) * (segments - 1)
    snapshot = index.snapshot(searcher)
    assert set(docnums_of(ours & snapshot.live)) == whoosh_match(index, ["garden"])
    assert ours & snapshot.live == mask_of(whoosh_match(index, ["garden"]), snapshot.size)


def test_similar_spellings_and_any_word_match_whoosh(tmp_path: Path) -> None:
    from cairn.search.providers.search import _word

    rng = random.Random(8)
    index = SearchIndex(tmp_path / "providers")
    for round_number in range(3):
        changes: dict[str, PublicListing | None] = {
            str(UUID(int=n + 1)): listing(rng, n)
            for n in range(round_number * 200, round_number * 200 + 200)
        }
        assert index.write(changes, expected=round_number, position=round_number + 1)
    searcher = index.searcher()
    masks = PostingCache()
    # Stemmed, as the search analyser leaves them ("walks" is stored as "walk").
    for words in (["gardn"], ["demntia", "shopp"], ["pet", "walkz"]):
        for query in (
            And([_word(word, fuzzy=True) for word in words]),
            Or([_word(word, fuzzy=True) for word in words]),
        ):
            ours = masks.query_mask(searcher, query) & index.snapshot(searcher).live
            assert set(docnums_of(ours)) == set(query.docs(searcher)), query
            assert ours, query


def test_array_scores_and_order_are_whooshs_own(tmp_path: Path) -> None:
    rng = random.Random(13)
    index = SearchIndex(tmp_path / "providers")
    cache = PostingCache()  # one cache across generations, as a worker keeps it
    for _ in rounds_of_writes(index, listing, rng, rounds=4, size=250, churn=30):
        assert_scored_as_whoosh_does(index, cache)


def assert_scored_as_whoosh_does(index: SearchIndex, cache: PostingCache) -> None:
    from cairn.search.engine.relevance import best, scores
    from cairn.search.providers.search import _word

    searcher = index.searcher()
    live = index.snapshot(searcher).live
    for words, fuzzy, combine in (
        (["garden"], False, And),
        (["meal", "compani"], False, And),
        (["dementia", "pet", "walk"], False, Or),
        (["gardn", "shopp"], True, And),
        (["demntia", "walkz"], True, Or),
    ):
        query = combine([_word(word, fuzzy=fuzzy) for word in words])
        theirs = [(hit.docnum, hit.score) for hit in searcher.search(query, limit=None)]
        assert theirs, query
        ours = scores(searcher, query, cache)
        assert ours is not None
        for docnum, score in theirs:
            assert abs(ours[docnum] - score) < 1e-9 * max(1.0, score), (query, docnum)
        matched = cache.query_mask(searcher, query) & live
        assert set(docnums_of(matched)) == {docnum for docnum, _ in theirs}
        # Whoosh's order: best score first, equal scores by document number.
        expected = [d for d, _ in sorted(theirs, key=lambda hit: (-round(hit[1], 9), hit[0]))]
        assert best(ours, matched, 15) == expected[:15]
        assert best(ours, matched, len(expected) + 5) == expected


def test_ranking_only_the_filtered_documents(tmp_path: Path) -> None:
    from cairn.search.engine.relevance import best, scores
    from cairn.search.providers.search import _word

    rng = random.Random(21)
    index = SearchIndex(tmp_path / "providers")
    index.write({str(UUID(int=n + 1)): listing(rng, n) for n in range(400)}, expected=0, position=1)
    searcher = index.searcher()
    cache = PostingCache()
    query = And([_word("garden")])
    every = [hit.docnum for hit in searcher.search(query, limit=None)]
    allowed = set(rng.sample(every, 25)) | {d for d in range(400) if d not in every}
    ours = scores(searcher, query, cache)
    assert ours is not None
    matched = mask_of((d for d in every if d in allowed), 400)
    assert best(ours, matched, 10) == [d for d in every if d in allowed][:10]
    assert best(ours, 0, 10) == []


def test_segments_merged_away_are_forgotten_by_the_next_search(tmp_path: Path) -> None:
    rng = random.Random(5)
    index = SearchIndex(tmp_path / "providers")
    cache = PostingCache()
    query = Or([Term("description", word) for word in WORDS[:3]])
    for position in range(1, 4):  # three commits: three segments
        changes = {str(UUID(int=position * 100 + n)): listing(rng, n) for n in range(20)}
        assert index.write(changes, expected=position - 1, position=position)
        assert scores(index.searcher(), query, cache) is not None
    kept_before = {key[0] for key in cache._lengths}
    assert len(kept_before) >= 2

    # An erasure's purge merges every segment into one new one.
    assert index.write({str(UUID(int=101)): None}, expected=3, position=4, purge=True)
    searcher = index.searcher()
    assert scores(searcher, query, cache) is not None
    now = {segment_id_of(segment) for segment, _ in searcher.reader().leaf_readers()}
    assert {key[0] for key in cache._lengths} <= now
    assert {key[0] for key in cache._postings} <= now
    assert not kept_before & now
    index.close()


def test_everyday_words_meanings_are_scored_and_matched_as_whoosh_does(tmp_path: Path) -> None:
    """A meaning adds a keyword term (services, languages), which Whoosh scores by weight."""
    from dataclasses import replace

    from cairn.search.engine.relevance import scores
    from cairn.search.providers.search import _meaning, _word
    from cairn.search.providers.words import read_query

    rng = random.Random(21)
    index = SearchIndex(tmp_path / "providers")
    services = ["gardening", "companionship", "wellbeing-activities", "pet-care"]
    for round_number in range(2):
        changes: dict[str, PublicListing | None] = {
            str(UUID(int=n + 1)): replace(
                listing(rng, n),
                services=tuple(rng.sample(services, rng.randint(1, 2))),
                languages=tuple(rng.sample(["en", "gd", "pl"], rng.randint(1, 2))),
            )
            for n in range(round_number * 150, round_number * 150 + 150)
        }
        assert index.write(changes, expected=round_number, position=round_number + 1)
    searcher = index.searcher()
    live = index.snapshot(searcher).live
    cache = PostingCache()
    for text in ("gardening", "someone to sit with", "gaelic walks", "polish pets"):
        query = And([_meaning(c) for c in read_query(text).concepts] + [_word("friend")])
        theirs = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
        assert theirs, text
        ours = scores(searcher, query, cache)
        assert ours is not None
        for docnum, score in theirs.items():
            assert abs(ours[docnum] - score) < 1e-9 * max(1.0, score), (text, docnum)
        assert set(docnums_of(cache.query_mask(searcher, query) & live)) == set(theirs)
