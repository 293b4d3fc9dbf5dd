"""How provider text becomes index terms, and how a query's words are read the same way.

Whoosh's StemmingAnalyzer uses its original Porter stemmer, which leaves a doubled consonant
behind ("shopping" -> "shopp", "sitting" -> "sitt", so neither met "shop" or "sit") and strips
"bus" to "bu" while "buses" becomes "buse". Porter2 (Snowball English) undoes doubled
consonants; the few plurals it still gets wrong are listed here. Accents are folded so a
Gaelic word typed without them ("comhradh") meets the word written with them ("còmhradh").

The index, the query, the vocabulary of everyday words and the snippet marker all use these
functions, and the postings accelerator reads the terms they produce, so they always agree."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from whoosh.analysis import (
    STOP_WORDS,
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.tokenizers import default_pattern
from whoosh.formats import Frequency
from whoosh.lang.porter2 import stem as porter2
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

# Plurals of words ending in a single vowel and "s", which Porter2 leaves as "buse", "gase".
_PLURALS = {"buses": "bus", "busses": "bus", "gases": "gas", "gasses": "gas"}
MIN_WORD_LENGTH = 2  # one-letter pieces ("alzheimer's" -> "alzheimer", "s") are dropped


def stem_word(word: str) -> str:
    """One lower-case, accent-folded word -> its index term."""
    return str(porter2(_PLURALS.get(word, word)))


_cached_stem = lru_cache(maxsize=100_000)(stem_word)


def index_terms(text: str) -> list[str]:
    """The terms `build_analyzer()` makes of `text` when indexing, in order, made in one pass:
    the same tokens, lower case, accents folded, stop words and one-letter pieces dropped,
    stemmed (tests/search/test_analysis_equivalence.py holds them equal)."""
    terms = []
    for match in default_pattern.finditer(text):
        word = match.group(0).lower().translate(accent_map)
        if len(word) >= MIN_WORD_LENGTH and word not in STOP_WORDS:
            terms.append(_cached_stem(word))
    return terms


class FoldedFrequency(Frequency):  # type: ignore[misc]
    """Whoosh's Frequency format for the text fields, reading words with `index_terms` rather
    than through the analyzer's chain of generators (a token object handed through five
    filters for every word): the same postings, written in about half the time. Anything
    else (queries, and a value given as tokens) still goes through the analyzer."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str) or kwargs.get("mode") != "index":
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost
        return (
            (word, count, count * boost, pack_uint(count))
            for word, count in Counter(index_terms(value)).items()
        )


def build_analyzer() -> Analyzer:
    """The analyzer of every text field of the providers index."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_WORDS, minsize=MIN_WORD_LENGTH)
        | StemFilter(stemfn=stem_word, cachesize=50_000)
    )


_SURFACE = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


@dataclass(frozen=True)
class Word:
    """One word of some text as typed (lower case, accents folded), and its index term."""

    surface: str
    term: str
    start: int  # character offsets in the text
    end: int

    @property
    def is_stop_word(self) -> bool:
        return self.surface in STOP_WORDS


def words(text: str) -> Iterator[Word]:
    """Every word of `text` of two letters or more, stop words included (phrases like
    "sit with" need them), each with the term the index would hold for it."""
    for token in _SURFACE(text, chars=True):
        if len(token.text) >= MIN_WORD_LENGTH:
            yield Word(token.text, stem_word(token.text), token.startchar, token.endchar)


def fold(word: str) -> str:
    """A word as `words` reads it: lower case, accents folded."""
    return "".join(token.text for token in _SURFACE(word))
