"""Web forms. Validation reuses the domain's rules so a form and an import agree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from cairn.domain.validation import Invalid, clean_text
from cairn.web.directory_labels import written_language_choices
from cairn.web.i18n import current_language, translate


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


class WrittenLanguageField(SelectField):  # type: ignore[misc]
    """Which language a person's text is written in, so pages mark it with `lang` and a
    screen reader reads it in the right voice (WCAG 3.1.2). A new text is most likely in the
    language the person is using Cairn in, so that is the default."""

    def __init__(self, label: Any, **kwargs: Any) -> None:
        super().__init__(
            label, choices=written_language_choices, default=current_language, **kwargs
        )

    def process(self, *args: Any, **kwargs: Any) -> None:
        super().process(*args, **kwargs)
        if not getattr(self, "data", None):  # not asked before (an older draft), or sent empty
            self.data = current_language()


class GridCheckboxField(MultiCheckboxField):
    """Checkboxes laid out as a table (the `checkbox_grid` macro): one row per `rows` label,
    one column per `columns` label, the choices in row order."""

    def __init__(self, *args: Any, rows: list[Any], columns: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.columns = columns

    def grid(self) -> list[tuple[Any, list[Any]]]:
        """(row label, that row's options) for each row."""
        options = list(self)
        width = len(self.columns)
        return [(label, options[i * width : (i + 1) * width]) for i, label in enumerate(self.rows)]


class LoginForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        _l("Email address"), validators=[DataRequired(_l("Enter your email address"))]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password"))])


class PlainForm(FlaskForm):  # type: ignore[misc]
    """A button's form: nothing but its CSRF token."""


class VersionForm(FlaskForm):  # type: ignore[misc]
    """A decision with nothing else to say; `version` is what the person saw."""

    version = IntegerField(widget=HiddenField.widget)


class NoteForm(VersionForm):
    """A decision with words: a reason, a question, an answer or a note."""

    text = TextAreaField(
        _l("Reason"),
        validators=[Length(max=4000, message=_l("Must be 4,000 characters or fewer"))],
    )


class EnquiryForm(FlaskForm):  # type: ignore[misc]
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Enter your name")), Normalised(_text(120))],
    )
    contact = StringField(
        _l("How should they contact you? (optional)"),
        validators=[
            Optional(),
            Length(max=200, message=_l("Must be 200 characters or fewer")),
        ],
    )
    reply_email = EmailField(
        _l("Your email, for a copy and their reply (optional)"),
        validators=[
            Optional(),
            Length(max=320, message=_l("Must be 320 characters or fewer")),
            Email(_l("Enter an email address in the right format, like name@example.com")),
        ],
    )
    message = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(_l("Enter your message")),
            Length(max=2000, message=_l("Your message must be 2,000 characters or fewer")),
        ],
    )
    # The provider's pages mark the message with it: a screen reader reads it in its own voice.
    message_language = WrittenLanguageField(_l("Which language is your message written in?"))
    consent = BooleanField(
        _l("I agree that Cairn shares my name, contact details and message with this provider"),
        validators=[DataRequired(_l("Tick the box to agree that we share your enquiry"))],
    )
    # A honeypot: hidden from people, filled in by form-filling robots.
    website = StringField(_l("Leave this empty"))


class NewPasswordForm(FlaskForm):  # type: ignore[misc]
    """A new password chosen through an emailed link: an invitation or a reset."""

    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Enter a new password"))]
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Enter the new password again")),
            EqualTo("new_password", _l("The two new passwords are not the same")),
        ],
    )
