"""Warming up: a node reads its index's commonest words before the first searches, and the
new segment a write or a merge makes is warmed in the background, so the first search of a
common word reads nothing from the index files."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from werkzeug.datastructures import MultiDict

import cairn.search.engine.postings as postings_module
from cairn.search.engine.postings import PostingCache
from cairn.search.engine.warmup import Warmer
from cairn.search.providers.index import SearchIndex
from cairn.search.providers.query import SearchRequest, parse_search
from cairn.search.providers.search import TEXT_FIELDS, Directory
from tests.search.rounds import listing

TODAY = date(2026, 12, 1)


def request_for(**params: str) -> SearchRequest:
    return parse_search(MultiDict(params))


class ReadCounter:
    """Counts posting lists read from the index files, by word (a word a segment does not
    have costs no read)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.words: list[str] = []
        real = postings_module._read_postings

        def counting(segment: Any, field: str, word: str) -> object:
            if (field, word) in segment:
                self.words.append(word)
            return real(segment, field, word)

        monkeypatch.setattr(postings_module, "_read_postings", counting)


def filled(tmp_path: Path, size: int = 400) -> SearchIndex:
    rng = random.Random(11)
    index = SearchIndex(tmp_path / "providers")
    index.write(
        {str(UUID(int=n + 1)): listing(rng, n) for n in range(size)}, expected=0, position=1
    )
    return index


def test_after_warming_up_a_common_word_is_searched_without_reading_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = Directory(filled(tmp_path))
    warmed = directory.warm_up()
    assert warmed.words > 0 and directory.warmed.is_set()
    reads = ReadCounter(monkeypatch)
    directory.search(request_for(q="garden"), TODAY)
    assert "garden" not in reads.words


def test_without_warming_up_the_first_search_reads_the_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = Directory(filled(tmp_path))
    reads = ReadCounter(monkeypatch)
    directory.search(request_for(q="garden"), TODAY)
    assert "garden" in reads.words  # so the test above would catch a warm-up that read nothing


def test_commonest_words_come_first_and_the_budget_is_kept(tmp_path: Path) -> None:
    index = filled(tmp_path)
    cache = PostingCache(limit_bytes=40_000)
    warmed = Warmer(cache, TEXT_FIELDS).warm(index.searcher().reader())
    assert warmed.bytes > 0 and warmed.bytes < 40_000 + 20_000  # stops once the budget is spent
    reader = index.searcher().reader()
    everyone = {
        (field, text): info.doc_frequency()
        for field in TEXT_FIELDS
        for text, info in reader.iter_field(field)
    }
    commonest = max(everyone, key=everyone.__getitem__)
    kept = {(field, word) for (_segment, field, word) in cache._postings}
    field, btext = commonest
    assert (field, reader.schema[field].from_bytes(btext)) in kept


def test_a_new_segment_is_warmed_in_the_background_on_the_next_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = filled(tmp_path)
    directory = Directory(index)
    directory.warm_up()
    rng = random.Random(4)
    index.write({str(UUID(int=9000)): listing(rng, 9000)}, expected=1, position=2)
    directory.search(request_for(q="meal"), TODAY)  # notices the new generation
    assert directory._warming is not None
    directory._warming.join(10)
    reads = ReadCounter(monkeypatch)
    directory.search(request_for(q="garden"), TODAY)
    assert "garden" not in reads.words  # the new segment's postings were read beforehand
