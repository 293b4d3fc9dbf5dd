"""The kinds of service the directory lists, read from cairn/domain/data/service-types.csv.

Keys are stable ids used in imports, URLs and the API: types may be added but keys never change.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cairn.domain.validation import Invalid, _, split_items

_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class ServiceType:
    key: str
    label: str
    description: str


@cache
def _load() -> dict[str, ServiceType]:
    """Reads the shipped list once; a broken list is a bug in the release, so it fails loudly."""
    text = resources.files("cairn.domain").joinpath("data/service-types.csv").read_text("utf-8-sig")
    types: dict[str, ServiceType] = {}
    for row in csv.DictReader(io.StringIO(text, newline="")):
        service = ServiceType(
            key=row["key"].strip(),
            label=row["label"].strip(),
            description=row["description"].strip(),
        )
        if not _KEY.fullmatch(service.key) or service.key in types or not service.label:
            raise RuntimeError(f"service-types.csv: bad or repeated row for {service.key!r}")
        types[service.key] = service
    return types


def all_service_types() -> tuple[ServiceType, ...]:
    """Every service type, in the order of the file (the order people see them in)."""
    return tuple(_load().values())


def service_type(key: str) -> ServiceType:
    """The service type with this key; KeyError if there is none."""
    return _load()[key]


def is_service_type(key: str) -> bool:
    return key in _load()


def parse_service_types(items: str | Iterable[str]) -> tuple[str, ...]:
    """Service-type keys (a ';'-separated string or a list) -> known keys, repeats dropped."""
    keys = [item.lower() for item in split_items(items)]
    unknown = [key for key in dict.fromkeys(keys) if not is_service_type(key)]
    if unknown:
        raise Invalid(
            _(
                "Unknown service: {keys}. Use keys from the list of services, like personal-care"
            ).format(keys=", ".join(unknown))
        )
    if not keys:
        raise Invalid(_("Choose at least one service"))
    return tuple(dict.fromkeys(keys))
