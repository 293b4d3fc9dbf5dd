"""The one-pass reading of text fields (`index_terms`, `FoldedFrequency`) makes exactly the terms,
frequencies and field lengths that the analyzer's chain makes: the query side still uses the
chain, so any difference would lose matches."""

from __future__ import annotations

import random
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.formats import Frequency

import cairn.search.providers.schema as schema_module
from cairn.search.providers.analysis import FoldedFrequency, build_analyzer, index_terms
from cairn.search.providers.index import SearchIndex
from cairn.search.providers.search import TEXT_FIELDS
from tests.search.rounds import listing

SAMPLES = [
    "Còmhradh and company: Alzheimer's-friendly walks, buses to the shops (e.g. Ayr).",
    "Àite-fuirich; Gàidhlig, BSL & English — 24/7 help. Pets welcome!!",
    "Shopping, sitting, gardening; æsthetics... ÉCOLE Straße naïve café",
    "a I x 12.5 3.14.15 co-op e-mail don't it's *star* under_score",
]


def chain_terms(text: str) -> list[str]:
    return [t.text for t in build_analyzer()(text, mode="index")]


def test_the_samples_read_the_same_both_ways() -> None:
    for text in SAMPLES:
        assert index_terms(text) == chain_terms(text), text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_any_text_reads_the_same_both_ways(text: str) -> None:
    assert index_terms(text) == chain_terms(text)


def postings(index: SearchIndex) -> dict[tuple[str, str], list[tuple[int, float]]]:
    reader = index.searcher().reader()
    found = {}
    for field in TEXT_FIELDS:
        for btext in reader.lexicon(field):
            matcher = reader.postings(field, btext)
            found[(field, btext.decode())] = [(d, w) for d, w in matcher.items_as("weight")]
    return found


def lengths(index: SearchIndex) -> list[tuple[int, ...]]:
    reader = index.searcher().reader()
    return [
        tuple(reader.doc_field_length(d, f, 0) for f in TEXT_FIELDS)
        for d in range(reader.doc_count_all())
    ]


def test_an_index_written_in_one_pass_equals_one_written_through_the_chain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(8)
    listings = {str(UUID(int=n + 1)): listing(rng, n) for n in range(300)}
    fast = SearchIndex(tmp_path / "fast")
    fast.write(listings, expected=0, position=1)

    real_text = schema_module._text

    def chained(boost: float = 1.0):  # type: ignore[no-untyped-def]
        field = real_text(boost)
        field.format = Frequency(field_boost=boost)
        return field

    monkeypatch.setattr(schema_module, "_text", chained)
    slow = SearchIndex(tmp_path / "slow")
    slow.write(listings, expected=0, position=1)
    assert type(slow.searcher().schema["description"].format) is Frequency
    assert type(fast.searcher().schema["description"].format) is FoldedFrequency
    assert postings(fast) == postings(slow)
    assert lengths(fast) == lengths(slow)
