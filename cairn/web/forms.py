"""Web forms. Validation reuses the domain's rules so a form and an import agree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from cairn.domain.service_types import all_service_types
from cairn.domain.validation import Invalid, clean_text, normalise_email, normalise_postcode
from cairn.web.i18n import service_label, translate


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


class ApplyForm(FlaskForm):  # type: ignore[misc]
    name = StringField(
        _l("Business name"),
        validators=[
            DataRequired(_l("Enter your business name")),
            Length(min=2, max=120, message=_l("Business name must be 2 to 120 characters")),
            Normalised(_text(120)),
        ],
    )
    contact_name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Enter your name")), Normalised(_text(120))],
    )
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter an email address")), Normalised(normalise_email)],
    )
    postcode = StringField(
        _l("Postcode of your base"),
        validators=[DataRequired(_l("Enter a postcode")), Normalised(normalise_postcode)],
    )
    services = MultiCheckboxField(
        _l("Services you offer"),
        validators=[InputRequired(_l("Choose at least one service"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services.choices = [(t.key, service_label(t.key)) for t in all_service_types()]


class DecisionForm(FlaskForm):  # type: ignore[misc]
    """Approve or decline. `version` is what the admin saw, so a stale decision is refused."""

    version = IntegerField(widget=HiddenField.widget)
    reason = TextAreaField(
        _l("Reason"),
        validators=[Length(max=2000, message=_l("Reason must be 2,000 characters or fewer"))],
    )
