"""The three-box date field: it reads day, month and year, keeps what was typed when it is
wrong, refuses a future date where told to, and draws the design system's boxes."""

from __future__ import annotations

import datetime
from typing import Any

from flask import Flask, render_template_string
from flask_wtf import FlaskForm
from wtforms.validators import DataRequired

from cairn.web.date_fields import NotInFuture, UKDateField

_DRAWN = '{% from "_forms.html" import date_field %}{{ date_field(form.on, warning=warning) }}'


class _CheckForm(FlaskForm):  # type: ignore[misc]
    class Meta:
        csrf = False

    on = UKDateField("Checked on", validators=[DataRequired("Enter the date"), NotInFuture()])


def _posted(app: Flask, **boxes: str) -> tuple[_CheckForm, bool]:
    data = {f"on-{part}": value for part, value in boxes.items()}
    with app.test_request_context(method="POST", data=data):
        form = _CheckForm()
        return form, form.validate()


def _drawn(app: Flask, form: _CheckForm, warning: str | None = None) -> str:
    with app.test_request_context():
        return render_template_string(_DRAWN, form=form, warning=warning)


def test_three_boxes_make_a_date(app: Flask) -> None:
    form, valid = _posted(app, day="7", month="3", year="2025")
    assert valid
    assert form.on.data == datetime.date(2025, 3, 7)


def test_a_wrong_box_is_named_and_the_typing_kept(app: Flask) -> None:
    form, valid = _posted(app, day="31", month="2", year="2025")
    assert not valid
    assert form.on.errors == ["Enter a real date, like 27 3 2026"]
    page = _drawn(app, form)
    assert 'name="on-day"' in page and 'value="31"' in page and 'value="2"' in page
    assert 'aria-invalid="true"' in page
    assert "Enter a real date, like 27 3 2026" in page


def test_empty_boxes_are_missing_not_wrong(app: Flask) -> None:
    form, valid = _posted(app, day="", month="", year="")
    assert not valid
    assert form.on.errors == ["Enter the date"]


def test_a_future_date_is_refused_where_asked(app: Flask) -> None:
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    form, valid = _posted(
        app, day=str(tomorrow.day), month=str(tomorrow.month), year=str(tomorrow.year)
    )
    assert not valid
    assert form.on.errors == ["The date must be today or in the past"]


def test_a_saved_date_fills_the_boxes_and_a_warning_is_shown(app: Flask) -> None:
    with app.test_request_context():
        form: Any = _CheckForm(data={"on": datetime.date(2024, 11, 5)})
        assert form.on.is_past
        page = render_template_string(_DRAWN, form=form, warning="Already expired")
    assert 'value="5"' in page and 'value="11"' in page and 'value="2024"' in page
    assert "Already expired" in page
    assert "<legend" in page and ">Day</label>" in page and ">Year</label>" in page
