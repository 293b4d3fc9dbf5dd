"""A listing's details as people read them, and the changes waiting for the CIC's review
shown as now -> proposed: one wording for the provider's dashboard, the admin's review and the
history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from cairn.domain.directory.fields import FIELDS_BY_NAME
from cairn.web.directory_labels import availability_labels, facet_label
from cairn.web.i18n import service_labels, translate


def field_label(name: str) -> str:
    """A listing field's name in the reader's language (from the field specification)."""
    spec = FIELDS_BY_NAME.get(name)
    return translate(spec.label) if spec is not None else name


def show_value(name: str, value: Any) -> str:
    """One detail's value in words (services and availability by their labels)."""
    if value is None or value == "" or value == [] or value == ():
        return str(gettext("(none)"))
    if name == "services":
        return service_labels(value)
    if name == "availability":
        return availability_labels(value)
    if name == "languages":
        return ", ".join(facet_label("languages", code) for code in value)
    if name == "sds_options":
        return ", ".join(str(gettext("Option %(n)s", n=v)) for v in value)
    if name == "price_per_hour":
        return f"£{value}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class PendingChange:
    name: str
    label: str
    now: str
    proposed: str


def pending_changes(
    live: Mapping[str, Any], pending: Mapping[str, Any] | None
) -> list[PendingChange]:
    """Each detail a change waiting for review would alter: its label, now, proposed."""
    return [
        PendingChange(
            name, field_label(name), show_value(name, live.get(name)), show_value(name, value)
        )
        for name, value in (pending or {}).items()
    ]
