"""The CIC's check forms: a PVG or insurance date, a training course."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired

from cairn.domain.validation import parse_date, parse_training
from cairn.web.forms import Normalised, VersionForm


class DateCheckForm(VersionForm):
    on = StringField(
        _l("Date"),
        validators=[DataRequired(_l("Enter a date, like 2026-03-11")), Normalised(parse_date)],
    )


class TrainingForm(VersionForm):
    course = StringField(
        _l("Course"),
        validators=[
            DataRequired(_l("Enter the course, like first-aid")),
            Normalised(parse_training),
        ],
    )
    on = StringField(_l("Date completed (optional)"), validators=[Normalised(parse_date)])
