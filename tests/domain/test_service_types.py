"""The list of service types the directory offers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.domain.service_types import (
    ServiceType,
    all_service_types,
    is_service_type,
    parse_service_types,
    service_type,
)
from cairn.domain.validation import Invalid

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "samples"
KEYS = tuple(service.key for service in all_service_types())


def test_service_types_come_in_the_order_of_the_file() -> None:
    with (REPO / "cairn" / "domain" / "data" / "service-types.csv").open(
        encoding="utf-8", newline=""
    ) as f:
        file_keys = tuple(row["key"] for row in csv.DictReader(f))
    assert file_keys == KEYS
    assert KEYS[0] == "personal-care"


def test_every_key_of_the_shared_sample_list_keeps_working() -> None:
    with (SAMPLES / "service-types.csv").open(encoding="utf-8", newline="") as f:
        sample_keys = {row["key"] for row in csv.DictReader(f)}
    assert sample_keys <= set(KEYS)


def test_a_service_type_has_a_label_and_description() -> None:
    assert service_type("respite") == ServiceType(
        key="respite",
        label="Respite for carers",
        description="Time off for unpaid carers, at home or out and about",
    )


def test_every_service_type_is_described() -> None:
    for service in all_service_types():
        assert service.label
        assert service.description
        assert service.key == service.key.lower()


def test_an_unknown_service_type_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        service_type("astrology")


def test_known_and_unknown_keys_can_be_told_apart() -> None:
    assert is_service_type("personal-care")
    assert not is_service_type("astrology")
    assert not is_service_type("Personal-Care")
    assert not is_service_type("")


def test_service_keys_are_read_from_a_semicolon_list_in_the_order_given() -> None:
    assert parse_service_types("transport; companionship;") == ("transport", "companionship")


def test_service_keys_can_come_from_ticked_boxes_and_repeats_are_dropped() -> None:
    assert parse_service_types(["gardening", "Pet-Care", "gardening"]) == ("gardening", "pet-care")


def test_an_unknown_service_key_is_named() -> None:
    with pytest.raises(Invalid) as refused:
        parse_service_types("companionship;astrology")
    assert refused.value.message.startswith("Unknown service: astrology.")


def test_every_unknown_service_key_is_named_once() -> None:
    with pytest.raises(Invalid) as refused:
        parse_service_types("astrology;companionship;tarot;astrology")
    assert refused.value.message.startswith("Unknown service: astrology, tarot.")


@pytest.mark.parametrize("typed", ["", " ; ", []])
def test_at_least_one_service_must_be_chosen(typed: str | list[str]) -> None:
    with pytest.raises(Invalid) as refused:
        parse_service_types(typed)
    assert refused.value.message == "Choose at least one service"


@given(st.lists(st.sampled_from(KEYS), min_size=1))
def test_parsed_service_keys_are_known_unique_and_in_first_seen_order(keys: list[str]) -> None:
    parsed = parse_service_types(keys)
    assert parsed == tuple(dict.fromkeys(keys))
    assert parse_service_types(";".join(parsed)) == parsed
