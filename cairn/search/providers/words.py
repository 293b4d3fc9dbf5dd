"""A query's words read against the vocabulary of everyday words (cairn.domain.everyday_words).

"someone to sit with my mum" is read as one everyday phrase ("someone to sit with": the
companionship service) and two filler words ("my", "mum") that are left out, so it finds what
"companionship" finds. A word that is neither is a plain word the text must contain. Both
languages' lists apply whatever the interface language: a Gaelic speaker may type English and
an English page may be searched in Gaelic."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from cairn.domain.everyday_words import (
    LANGUAGE,
    SERVICE,
    EverydayWord,
    everyday_words,
    filler_words,
)
from cairn.search.providers.analysis import Word, fold, words

MAX_TERMS = 12


@dataclass(frozen=True)
class Concept:
    """An everyday phrase found in the query and the directory's meanings of it."""

    phrase: str  # the words as typed (lower case, accents folded)
    services: tuple[str, ...]
    languages: tuple[str, ...]
    terms: tuple[str, ...]  # the phrase's own index terms, so text that says it matches too


@dataclass(frozen=True)
class QueryWords:
    concepts: tuple[Concept, ...] = ()
    terms: tuple[str, ...] = ()  # plain words' index terms, each required

    @property
    def all_terms(self) -> tuple[str, ...]:
        """Every index term the text may match: the plain words and the phrases' own."""
        return tuple(dict.fromkeys(self.terms + tuple(t for c in self.concepts for t in c.terms)))

    def __bool__(self) -> bool:
        return bool(self.concepts or self.terms)


@dataclass(frozen=True)
class _Vocabulary:
    meanings: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]]
    longest: int
    fillers: frozenset[str]


@cache
def _vocabulary() -> _Vocabulary:
    grouped: dict[tuple[str, ...], list[EverydayWord]] = {}
    for word in everyday_words():
        key = tuple(w.term for w in words(word.words))
        if key:
            grouped.setdefault(key, []).append(word)
    meanings = {
        key: (_means(found, SERVICE), _means(found, LANGUAGE)) for key, found in grouped.items()
    }
    return _Vocabulary(
        meanings=meanings,
        longest=max((len(key) for key in meanings), default=0),
        fillers=frozenset(fold(word) for word in filler_words()),
    )


def _means(found: Iterable[EverydayWord], kind: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w.means for w in found if w.kind == kind))


def read_query(text: str) -> QueryWords:
    """The query's everyday phrases (longest first, left to right) and its plain words.

    Stop words and filler words are dropped, unless nothing else is left: "help" alone is
    still a search for the word "help"."""
    vocabulary = _vocabulary()
    typed = list(words(text))
    concepts: list[Concept] = []
    plain: list[str] = []
    fillers: list[str] = []
    i = 0
    while i < len(typed):
        for length in range(min(vocabulary.longest, len(typed) - i), 0, -1):
            piece = typed[i : i + length]
            meaning = vocabulary.meanings.get(tuple(w.term for w in piece))
            if meaning is not None:
                concepts.append(_concept(piece, *meaning))
                i += length
                break
        else:
            word = typed[i]
            if word.surface in vocabulary.fillers:
                fillers.append(word.term)
            elif not word.is_stop_word:
                plain.append(word.term)
            i += 1
    if not concepts and not plain:
        plain = fillers
    unique = tuple(dict.fromkeys(concepts))
    return QueryWords(unique[:MAX_TERMS], tuple(dict.fromkeys(plain))[: MAX_TERMS - len(unique)])


def _concept(
    piece: list[Word],
    services: tuple[str, ...],
    languages: tuple[str, ...],
) -> Concept:
    # Filler words stay in the phrase's own words: "help at home" in a description is
    # "help" and "home", not any mention of "home".
    own = tuple(w.term for w in piece if not w.is_stop_word)
    return Concept(
        phrase=" ".join(w.surface for w in piece),
        services=services,
        languages=languages,
        terms=tuple(dict.fromkeys(own)),
    )
