"""The vocabulary of everyday words: every service has some, and every row means something."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from cairn.domain import everyday_words as vocabulary
from cairn.domain.everyday_words import (
    LANGUAGE,
    SERVICE,
    everyday_words,
    filler_words,
    normalise,
    words_for_service,
)
from cairn.domain.service_types import all_service_types
from cairn.domain.validation import LANGUAGE_CODES

DATA = Path(vocabulary.__file__).parent / "data"


@pytest.mark.parametrize("service", [s.key for s in all_service_types()])
def test_every_service_type_has_everyday_words_in_both_languages(service: str) -> None:
    languages = Counter(word.language for word in words_for_service(service))
    assert languages["en"] >= 5, service
    assert languages["gd"] >= 3, service


@pytest.mark.parametrize(
    ("word", "service"),
    [
        ("bathing", "personal-care"),
        ("washing", "personal-care"),
        ("dressing", "personal-care"),
        ("toileting", "personal-care"),
        ("alzheimers", "dementia-support"),
        ("alzheimer's", "dementia-support"),
        ("memory", "dementia-support"),
        ("forgetful", "dementia-support"),
        ("lunch", "meal-preparation"),
        ("dinner", "meal-preparation"),
        ("meals on wheels", "meal-preparation"),
        ("cooking", "meal-preparation"),
        ("hoovering", "domestic-help"),
        ("cleaning", "domestic-help"),
        ("housework", "domestic-help"),
        ("ironing", "domestic-help"),
        ("sit with", "companionship"),
        ("someone to sit with", "companionship"),
        ("company", "companionship"),
        ("lonely", "companionship"),
        ("befriending", "companionship"),
        ("chat", "companionship"),
        ("còmhradh", "companionship"),
        ("biadh", "meal-preparation"),
        ("glanadh", "domestic-help"),
    ],
)
def test_the_issues_examples_mean_their_service(word: str, service: str) -> None:
    assert word in {w.words for w in words_for_service(service)}


def test_language_names_mean_language_codes_the_directory_records() -> None:
    names = {w.words: w.means for w in everyday_words() if w.kind == LANGUAGE}
    assert names["gaelic"] == names["gàidhlig"] == "gd"
    assert names["polish"] == "pl" and names["urdu"] == "ur"
    assert set(names.values()) <= LANGUAGE_CODES


def test_every_row_of_the_files_is_read_and_means_something_known() -> None:
    for name, kind in (("service-words.csv", SERVICE), ("language-words.csv", LANGUAGE)):
        with (DATA / name).open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        read = [w for w in everyday_words() if w.kind == kind]
        assert len(read) == len(rows), name  # no row lost, none repeated
    keys = {s.key for s in all_service_types()}
    assert {w.means for w in everyday_words() if w.kind == SERVICE} == keys


def test_words_are_kept_normalised_and_plain() -> None:
    for word in everyday_words():
        assert word.words == normalise(word.words)
        assert word.language in ("en", "gd")
        assert not any(ch.isdigit() or ch in ',;"<>&' for ch in word.words), word
    assert normalise("  Alzheimer’s\u00a0 Disease ") == "alzheimer's disease"


def test_filler_words_are_single_words_that_mean_nothing_else() -> None:
    fillers = filler_words()
    assert {"help", "my", "mum", "someone", "cuideachadh", "mo"} <= fillers
    assert not fillers & {w.words for w in everyday_words()}


def test_a_bad_row_fails_loudly() -> None:
    with pytest.raises(RuntimeError):
        vocabulary._checked_word("test.csv", "memory 2", "en")
    with pytest.raises(RuntimeError):
        vocabulary._checked_word("test.csv", "memory", "fr")
