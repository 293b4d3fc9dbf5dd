"""The words people use when they look for help, and what each one means in the directory.

Three lists ship beside service-types.csv, each maintained by hand (docs/search.md says how):

- `service-words.csv`: an everyday word or phrase ("hoovering", "someone to sit with") for a
  service type, in English or Gaelic;
- `language-words.csv`: the name of a language ("polish", "Gàidhlig") for its ISO 639-1 code, as
  the providers' "languages spoken" are recorded;
- `filler-words.csv`: words that say who is asking or that help is wanted ("my mum", "help",
  "cuideachadh"): a search leaves them out rather than let them narrow what it finds.

The domain only keeps and checks the lists; matching them in a query is the search's business.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cairn.domain.service_types import is_service_type
from cairn.domain.validation import LANGUAGE_CODES

# The languages the lists are written in: the languages of the interface.
WORD_LANGUAGES = ("en", "gd")
SERVICE = "service"
LANGUAGE = "language"
# Letters (any alphabet, accents included), joined by single spaces, hyphens or apostrophes.
_WORD = re.compile(r"[^\W\d_]+(?:(?:[ '-]|' )[^\W\d_]+)*'?", re.UNICODE)


@dataclass(frozen=True)
class EverydayWord:
    """One word or phrase and what it stands for: a service type or a spoken language."""

    words: str  # normalised: NFC, lower case, single spaces, straight apostrophes
    language: str  # the language the word is in ("en" or "gd")
    kind: str  # SERVICE or LANGUAGE
    means: str  # a service-type key or a language code


def normalise(phrase: str) -> str:
    """'  Alzheimer’s ' -> "alzheimer's": the form the lists are kept and compared in."""
    text = unicodedata.normalize("NFC", phrase).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.casefold().split())


def everyday_words() -> tuple[EverydayWord, ...]:
    """Every service word, then every language name, in the order of their files."""
    return _service_words() + _language_words()


def words_for_service(key: str) -> tuple[EverydayWord, ...]:
    return tuple(w for w in _service_words() if w.means == key)


def filler_words() -> frozenset[str]:
    """Normalised words, in either language, that never narrow a search."""
    return frozenset(word for _language, word in _fillers())


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("cairn.domain").joinpath(f"data/{name}").read_text("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _checked_word(name: str, raw: str, language: str) -> str:
    """A list's word, normalised; a bad row is a bug in the release, so it fails loudly."""
    word = normalise(raw)
    if not _WORD.fullmatch(word) or language not in WORD_LANGUAGES:
        raise RuntimeError(f"{name}: bad word {raw!r} in language {language!r}")
    return word


def _read_meanings(name: str, kind: str, column: str) -> tuple[EverydayWord, ...]:
    words: dict[tuple[str, str], EverydayWord] = {}
    for row in _rows(name):
        means = row[column].strip()
        known = is_service_type(means) if kind == SERVICE else means in LANGUAGE_CODES
        language = row["language"].strip()
        word = _checked_word(name, row["word"], language)
        if not known or (word, means) in words:
            raise RuntimeError(f"{name}: unknown meaning or repeated row: {means!r}, {word!r}")
        words[(word, means)] = EverydayWord(word, language, kind, means)
    return tuple(words.values())


@cache
def _service_words() -> tuple[EverydayWord, ...]:
    return _read_meanings("service-words.csv", SERVICE, "service")


@cache
def _language_words() -> tuple[EverydayWord, ...]:
    return _read_meanings("language-words.csv", LANGUAGE, "code")


@cache
def _fillers() -> tuple[tuple[str, str], ...]:
    fillers: dict[str, str] = {}
    meaningful = {w.words for w in everyday_words()}
    for row in _rows("filler-words.csv"):
        language = row["language"].strip()
        word = _checked_word("filler-words.csv", row["word"], language)
        if word in fillers or word in meaningful or " " in word:
            raise RuntimeError(f"filler-words.csv: repeated, meaningful or not one word: {word!r}")
        fillers[word] = language
    return tuple((language, word) for word, language in fillers.items())
