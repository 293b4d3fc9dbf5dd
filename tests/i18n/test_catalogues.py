"""The catalogues are complete: every string for people is in them, and all of it is in Gaelic.

If a test here fails after you add or change text, run `make translations-update`, then write
the Gaelic in cairn/web/translations/gd/LC_MESSAGES/messages.po (see docs/translations.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from cairn.domain.service_types import all_service_types

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "cairn" / "web" / "translations"
LANGUAGES = ("en", "gd")
# The same options as `make translations-update` (Makefile: EXTRACT_OPTIONS).
EXTRACT_OPTIONS = [
    "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
    "--no-location", "--sort-output", "--project=Cairn", "-c", "TRANSLATORS:",
]  # fmt: skip


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What `pybabel extract` finds in the code right now."""
    pot = tmp_path_factory.mktemp("extract") / "messages.pot"
    import os

    here = os.getcwd()
    os.chdir(ROOT)  # babel.cfg's patterns are relative to the folders given here
    try:
        CommandLineInterface().run(
            ["pybabel", "-q", "extract", *EXTRACT_OPTIONS, "-o", str(pot), "cairn"]
        )
    finally:
        os.chdir(here)
    with pot.open("rb") as f:
        return read_po(f)


def catalogue(language: str) -> Catalog:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=language)


def ids(catalog: Catalog) -> set[str]:
    return {_key(m) for m in catalog if m.id}


def _key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple | list) else message.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_the_code_is_in_the_catalogue(extracted: Catalog, language: str) -> None:
    missing = sorted(ids(extracted) - ids(catalogue(language)))
    assert not missing, (
        f"Not in the {language} catalogue (run `make translations-update`): {missing}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_has_nothing_the_code_no_longer_says(
    extracted: Catalog, language: str
) -> None:
    stale = sorted(ids(catalogue(language)) - ids(extracted))
    assert not stale, f"Stale in the {language} catalogue (run `make translations-update`): {stale}"


def test_service_type_names_and_descriptions_are_extracted(extracted: Catalog) -> None:
    found = ids(extracted)
    for service in all_service_types():
        assert service.label in found
        assert service.description in found
        assert service.key not in found, "service-type keys stay untranslated (they are in URLs)"


def test_every_gaelic_entry_is_translated_and_none_is_fuzzy() -> None:
    untranslated, fuzzy = [], []
    for message in catalogue("gd"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings):
            untranslated.append(_key(message))
        if message.fuzzy:
            fuzzy.append(_key(message))
    assert not untranslated, f"Write the Gaelic for: {untranslated}"
    assert not fuzzy, f"Check these Gaelic entries and remove their 'fuzzy' flag: {fuzzy}"


def test_gaelic_has_its_four_plural_forms() -> None:
    gd = catalogue("gd")
    assert gd.num_plurals == 4
    for message in gd:
        if message.pluralizable:
            assert len(message.string) == 4, _key(message)


_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}")


def test_gaelic_keeps_every_placeholder() -> None:
    """A placeholder lost or misspelt in translation would crash the page or drop a value."""
    wrong = []
    for message in catalogue("gd"):
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(_PLACEHOLDER.findall(sources[-1]))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            if set(_PLACEHOLDER.findall(string)) != wanted:
                wrong.append((_key(message), string))
    assert not wrong, wrong
