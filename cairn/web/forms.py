"""Web forms. Validation reuses the domain's rules so a form and an import agree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectMultipleField
from wtforms.validators import DataRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from cairn.domain.validation import Invalid, clean_text
from cairn.web.i18n import translate


class Normalised:
    """Run a domain normaliser: its message becomes the field error, its result the value."""

    def __init__(self, normalise: Callable[[str], Any]) -> None:
        self.normalise = normalise

    def __call__(self, form: FlaskForm, field: Any) -> None:
        if not field.data:
            return
        try:
            field.data = self.normalise(field.data)
        except Invalid as error:
            raise ValidationError(translate(error.message)) from None


def _text(max_length: int) -> Callable[[str], str]:
    return lambda value: clean_text(value, max_length=max_length)


class MultiCheckboxField(SelectMultipleField):  # type: ignore[misc]
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        _l("Email address"), validators=[DataRequired(_l("Enter your email address"))]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password"))])
