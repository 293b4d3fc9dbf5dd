"""Listing fields between the provider's forms and the domain, both ways, from the field spec.

Every application step and the edit form load and save their listing fields here, by each
field's kind (cairn.domain.directory.fields), so a new field starts from its current value and
is saved without a hand-written line per form."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from cairn.domain.availability import SLOTS, read_availability
from cairn.domain.directory.fields import FIELDS_BY_NAME, LISTING_SPEC, Kind, ListingField, to_json


def _on_form(form: Any, spec: ListingField) -> bool:
    # Availability is a grid of day-and-time slots; every other field is its own.
    if spec.kind is Kind.AVAILABILITY:
        return hasattr(form, "slots")
    return hasattr(form, spec.name)


def fields_on(form: Any) -> tuple[ListingField, ...]:
    """The editable listing fields this form asks for."""
    return tuple(f for f in LISTING_SPEC if f.editable and _on_form(form, f))


def form_data(values: Mapping[str, Any]) -> dict[str, Any]:
    """Form data that starts a form from listing values (held or as JSON, e.g. draft answers);
    anything else in `values` (such as `version`) passes through."""
    data = dict(values)
    for name, value in values.items():
        spec = FIELDS_BY_NAME.get(name)
        if spec is None:
            continue
        if spec.kind is Kind.WORDS:
            data[name] = " ".join(value or ())
        elif spec.kind is Kind.CODES:
            data[name] = list(value or ())
        elif spec.kind is Kind.AVAILABILITY:
            # A draft saved before slots holds days and times: shown as the slots they mean.
            data["slots"] = list(read_availability(value or ()))
        elif spec.kind is Kind.MONEY:
            data[name] = str(value) if value is not None else ""
    return data


def _availability(form: Any) -> list[str]:
    chosen = set(form.slots.data or [])
    return [slot for slot in SLOTS if slot in chosen]


def _value(form: Any, spec: ListingField) -> Any:
    if spec.kind is Kind.AVAILABILITY:
        return _availability(form)
    data = getattr(form, spec.name).data
    if spec.kind in (Kind.CODES, Kind.WORDS):
        return list(data or ())
    if spec.kind is Kind.OPTIONAL_TEXT:
        return data or None
    if spec.kind is Kind.MONEY:
        return Decimal(data) if data else None
    return data


def form_values(form: Any) -> dict[str, Any]:
    """The listing values a validated form holds, as a listing edit takes them."""
    return {spec.name: _value(form, spec) for spec in fields_on(form)}


def form_answers(form: Any) -> dict[str, Any]:
    """The same values as JSON-friendly draft answers (money as a string)."""
    return {name: to_json(name, value) for name, value in form_values(form).items()}


def row_values(row: Any) -> dict[str, Any]:
    """A provider read-model row's editable listing values."""
    values: dict[str, Any] = {}
    for spec in LISTING_SPEC:
        if not spec.editable:
            continue
        value = getattr(row, spec.name)
        if spec.kind in (Kind.CODES, Kind.WORDS, Kind.AVAILABILITY):
            value = list(value or ())
        values[spec.name] = value
    return values
