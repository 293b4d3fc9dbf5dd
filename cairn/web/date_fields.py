"""Dates typed as the design system's three boxes (day, month, year), the UK order, so
nobody has to know ISO dates and day and month cannot swap. The `date_field` macro in
`_forms.html` draws the boxes; this field reads them back and keeps what was typed, so a
mistake is shown with the person's own entry still in the boxes."""

from __future__ import annotations

import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from cairn.domain.clock import today
from cairn.domain.validation import Invalid, parse_day_month_year
from cairn.web.commanding import runtime
from cairn.web.i18n import translate

PARTS = ("day", "month", "year")


def _parts_of(value: datetime.date | None) -> dict[str, str]:
    if value is None:
        return dict.fromkeys(PARTS, "")
    return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}


class UKDateField(Field):  # type: ignore[misc]
    """`data` is a `datetime.date`, or None when all three boxes are empty (pair with
    `DataRequired` to insist). Form data arrives as `<name>-day`, `<name>-month`, `<name>-year`."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.parts = _parts_of(None)

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.data = data
        self.parts = _parts_of(data)
        if formdata is None:
            return
        names = {part: f"{self.name}-{part}" for part in PARTS}
        if not any(name in formdata for name in names.values()):
            return
        self.parts = {part: formdata.get(name, "").strip()[:8] for part, name in names.items()}
        self.raw_data = list(self.parts.values())
        if not any(self.parts.values()):
            self.data = None
            return
        try:
            self.data = parse_day_month_year(**self.parts)
        except Invalid as error:
            self.data = None
            self.process_errors.append(translate(error.message))

    def validate(self, form: Any, extra_validators: Any = ()) -> bool:
        # A box that is wrong says so; "enter a date" from DataRequired would hide why.
        if self.process_errors:
            self.errors = list(self.process_errors)
            return False
        return bool(super().validate(form, extra_validators))

    def _value(self) -> str:
        return self.data.isoformat() if self.data else ""

    @property
    def is_past(self) -> bool:
        """For a warning, not a refusal: an insurance expiry already past is worth saying."""
        return self.data is not None and self.data < today(runtime().app.clock)


class NotInFuture:
    """Refuse a date after today (a check cannot have been done tomorrow)."""

    def __init__(self, message: Any = None) -> None:
        self.message = message or _l("The date must be today or in the past")

    def __call__(self, form: Any, field: UKDateField) -> None:
        if field.data is not None and field.data > today(runtime().app.clock):
            raise ValidationError(str(self.message))
