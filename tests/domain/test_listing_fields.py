"""The listing field specification: each field described once, and every surface built from it."""

from __future__ import annotations

import dataclasses
import inspect
from decimal import Decimal

from cairn.domain.directory.csv_format import COLUMN_NAMES, ProviderRecord
from cairn.domain.directory.fields import (
    FACET_FIELDS,
    LISTING_FIELDS,
    LISTING_SPEC,
    PUBLIC_FIELDS,
    TUPLE_FIELDS,
    from_json,
    in_event,
    to_json,
)
from cairn.domain.directory.listing import PublicListing
from cairn.domain.directory.provider import Provider
from cairn.search.providers import schema

# Public fields Open Referral UK 3.0 has no place for, each with why.
NOT_IN_OPEN_REFERRAL = {
    "description_language": "ORUK has no field for the language a text is written in",
}


def test_each_field_is_described_once() -> None:
    names = [f.name for f in LISTING_SPEC]
    assert len(names) == len(set(names))


def test_a_provider_applies_with_every_field() -> None:
    parameters = inspect.signature(Provider.__init__).parameters
    assert {f.name for f in LISTING_SPEC} <= set(parameters)


def test_every_public_field_is_on_the_public_listing_and_placed_in_open_referral() -> None:
    listing_fields = {f.name for f in dataclasses.fields(PublicListing)}
    for field in PUBLIC_FIELDS:
        assert field.name in listing_fields, field.name
        # Left out of ORUK by mistake was one of the silent misses the spec ends.
        assert field.oruk or field.name in NOT_IN_OPEN_REFERRAL, field.name


def test_every_imported_field_has_a_column_and_a_place_in_the_record() -> None:
    record_fields = {f.name for f in dataclasses.fields(ProviderRecord)}
    for field in LISTING_SPEC:
        assert field.csv_column in COLUMN_NAMES
        assert field.name in record_fields


def test_the_email_is_the_one_field_a_provider_cannot_change() -> None:
    assert set(f.name for f in LISTING_SPEC) - set(LISTING_FIELDS) == {"email"}


def test_every_field_has_an_english_label() -> None:
    for field in LISTING_SPEC:
        assert field.label.strip(), field.name


def test_values_go_to_json_and_back_unchanged() -> None:
    samples = {
        "services": ("gardening",),
        "price_per_hour": Decimal("18.50"),
        "phone": None,
        "name": "Heathfield",
    }
    for name, value in samples.items():
        assert from_json(name, to_json(name, value)) == value
    assert to_json("price_per_hour", Decimal("18.50")) == "18.50"


def test_events_store_lists_for_tuples_and_keep_money_a_decimal() -> None:
    assert in_event("languages", ("en", "gd")) == ["en", "gd"]
    assert in_event("price_per_hour", Decimal("12.00")) == Decimal("12.00")
    assert "languages" in TUPLE_FIELDS and "name" not in TUPLE_FIELDS


def test_the_search_facets_are_the_fields_the_spec_makes_facets() -> None:
    # A facet no listing field fills (or the reverse) would stay silently empty.
    assert set(schema.FACET_FIELDS) == set(FACET_FIELDS)
    indexed = set(schema.build_schema().names())
    for field in LISTING_SPEC:
        assert set(field.index_fields) <= indexed, field.name
