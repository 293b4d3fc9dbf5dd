"""Everyday words find the providers they mean, on a real index (issue #16, "Words people use").

The directory is built once for the module: every test only searches it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from cairn.bootstrap.runtime import Runtime
from cairn.search.providers.query import parse_search
from cairn.search.providers.search import SearchResult
from tests.support.directory import applied_provider, approve, catch_up
from tests.support.stores import make_settings

TODAY = date.today()

PROVIDERS: dict[str, dict[str, Any]] = {
    "Alloway Companions": {
        "services": ["companionship"],
        "description": "We visit for a blether and a cup of tea.",
    },
    "Memory Lane Visitors": {
        "services": ["dementia-support"],
        "description": "Gentle support at home for people and their families.",
    },
    "Prestwick Personal Care": {
        "services": ["personal-care"],
        "description": "Reliable, kind and on time.",
    },
    "Troon Kitchen": {
        "services": ["meal-preparation"],
        "description": "Home-made soup and stovies.",
    },
    "Sparkle Home Help": {
        "services": ["domestic-help"],
        "description": "Hoovering, dusting and ironing done the way you like it.",
    },
    "Tidy Ayr": {
        "services": ["domestic-help"],
        "description": "We keep your house as you would keep it.",
    },
    "Errand Runners": {
        "services": ["shopping-errands"],
        "description": "We take you on the bus to the shops and back.",
    },
    "Maryhill Messages": {
        "services": ["shopping-errands"],
        "description": "Weekly shopping collected and put away.",
    },
    "Ceòl is Cuideachd": {
        "services": ["wellbeing-activities"],
        "description": "Còmhradh agus ceòl sa Ghàidhlig.",
        "languages": ["gd", "en"],
    },
    "Pet Pals": {
        "services": ["pet-care"],
        "description": "Dog walking <b>every</b> day & <script>alert('x')</script> cat feeding.",
    },
}


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    rt = Runtime(make_settings("sqlite", Path(tmp_path_factory.mktemp("words"))))
    for name, fields in PROVIDERS.items():
        approve(rt, applied_provider(rt, name=name, **fields).id)
    catch_up(rt)
    yield rt
    rt.close()


def search(runtime: Runtime, text: str, **params: str) -> SearchResult:
    return runtime.directory.search(parse_search(MultiDict({"q": text, **params})), TODAY)


def names(runtime: Runtime, text: str, **params: str) -> list[str]:
    return [listing.name for listing in search(runtime, text, **params).listings]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("someone to sit with my mum", {"Alloway Companions"}),
        ("company for my dad", {"Alloway Companions"}),
        ("alzheimers", {"Memory Lane Visitors"}),
        ("Alzheimer’s", {"Memory Lane Visitors"}),
        ("forgetful", {"Memory Lane Visitors"}),
        ("bathing", {"Prestwick Personal Care"}),
        ("getting dressed", {"Prestwick Personal Care"}),
        ("lunch", {"Troon Kitchen"}),
        ("meals on wheels", {"Troon Kitchen"}),
        ("hoovering", {"Sparkle Home Help", "Tidy Ayr"}),
        ("gaelic", {"Ceòl is Cuideachd"}),
        ("Polish", set()),
        ("buses", {"Errand Runners"}),
        ("dog walking", {"Pet Pals"}),
    ],
)
def test_everyday_words_find_the_providers_they_mean(
    runtime: Runtime, query: str, expected: set[str]
) -> None:
    assert set(names(runtime, query)) == expected


def test_a_provider_that_says_the_word_comes_before_one_that_only_offers_the_service(
    runtime: Runtime,
) -> None:
    assert names(runtime, "hoovering") == ["Sparkle Home Help", "Tidy Ayr"]


def test_filler_words_never_shrink_a_search(runtime: Runtime) -> None:
    shopping = names(runtime, "shopping")
    assert set(shopping) == {"Errand Runners", "Maryhill Messages"}
    assert set(names(runtime, "help with shopping")) >= set(shopping)
    assert set(names(runtime, "I need help with shopping for my gran")) >= set(shopping)
    assert names(runtime, "someone to sit with my mum") == names(runtime, "companionship")


def test_a_word_alone_that_is_only_filler_is_still_searched(runtime: Runtime) -> None:
    # "help" is left out beside other words, but a search for it alone looks for the word.
    assert set(names(runtime, "help")) == {
        "Prestwick Personal Care",  # "Help with washing, dressing..."
        "Troon Kitchen",  # "help with eating"
        "Sparkle Home Help",
        "Tidy Ayr",  # "Help at home"
    }


def test_a_language_name_finds_providers_speaking_it_with_other_words(runtime: Runtime) -> None:
    assert names(runtime, "Gaelic music") == ["Ceòl is Cuideachd"]
    assert names(runtime, "gaelic hoovering") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Gàidhlig", {"Ceòl is Cuideachd"}),
        ("còmhradh", {"Alloway Companions", "Ceòl is Cuideachd"}),
        ("comhradh", {"Alloway Companions", "Ceòl is Cuideachd"}),  # typed without accents
        ("glanadh", {"Sparkle Home Help", "Tidy Ayr"}),
        ("biadh", {"Troon Kitchen"}),
        ("tha feum agam air cuideachadh le ceannach", {"Errand Runners", "Maryhill Messages"}),
        ("cù", {"Pet Pals"}),
    ],
)
def test_gaelic_words_find_the_providers_they_mean(
    runtime: Runtime, query: str, expected: set[str]
) -> None:
    assert set(names(runtime, query)) == expected


def test_the_snippet_marks_the_words_that_matched(runtime: Runtime) -> None:
    result = search(runtime, "hoovering and ironing")
    first = result.listings[0]
    assert first.name == "Sparkle Home Help"
    parts = result.snippet(first)
    assert [p.text for p in parts if p.marked] == ["Hoovering", "ironing"]
    assert "".join(p.text for p in parts) == first.description


def test_the_snippet_of_a_stemmed_match_marks_the_word_as_written(runtime: Runtime) -> None:
    result = search(runtime, "buses")
    parts = result.snippet(result.listings[0])
    assert [p.text for p in parts if p.marked] == ["bus"]


def test_a_provider_found_by_its_service_alone_shows_its_description_unmarked(
    runtime: Runtime,
) -> None:
    result = search(runtime, "hoovering")
    tidy = next(listing for listing in result.listings if listing.name == "Tidy Ayr")
    assert [(p.text, p.marked) for p in result.snippet(tidy)] == [(tidy.description, False)]
