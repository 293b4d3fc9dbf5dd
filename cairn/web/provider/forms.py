"""Forms for applying, keeping a listing true, and the CIC's decisions and checks.

Each field reuses the domain's normaliser, so a form and the CSV import accept the same things."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional

from cairn.domain.directory.report import CATEGORY_LABELS, DETAILS_MAX_LENGTH
from cairn.domain.directory.standards import CURRENT_STANDARDS
from cairn.domain.service_types import all_service_types
from cairn.domain.validation import (
    clean_text,
    normalise_districts,
    normalise_email,
    normalise_postcode,
    normalise_uk_phone,
    normalise_url,
    parse_date,
    parse_languages,
    parse_price,
    split_items,
)
from cairn.web.directory_labels import (
    DAY_LABELS,
    SDS_LABELS,
    TIME_LABELS,
    slot_choices,
)
from cairn.web.forms import (
    GridCheckboxField,
    MultiCheckboxField,
    Normalised,
    WrittenLanguageField,
    _text,
)
from cairn.web.i18n import service_label
from cairn.web.intake_text import intake_choices


def _multiline(max_length: int) -> Any:
    return lambda value: clean_text(value, max_length=max_length, multiline=True)


def _languages(text: str) -> tuple[str, ...]:
    return parse_languages(split_items(text, also_commas_and_spaces=True))


def _service_choices() -> list[tuple[str, str]]:
    """Named in the person's language (built per form, so per request), keyed in English."""
    return [(t.key, service_label(t.key)) for t in all_service_types()]


class BusinessForm(FlaskForm):  # type: ignore[misc]
    """Step 1: who you are. Creates the account when the applicant is not yet signed in."""

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
        validators=[DataRequired(_l("Enter your email address")), Normalised(normalise_email)],
    )
    phone = StringField(_l("Phone number (optional)"), validators=[Normalised(normalise_uk_phone)])
    postcode = StringField(
        _l("Postcode of your business"),
        validators=[DataRequired(_l("Enter your postcode")), Normalised(normalise_postcode)],
    )
    password = PasswordField(
        _l("Create a password"),
        validators=[
            Optional(),
            Length(min=12, max=256, message=_l("Choose a password of at least 12 characters")),
        ],
    )
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same"))],
    )


class ServicesForm(FlaskForm):  # type: ignore[misc]
    services = MultiCheckboxField(
        _l("What services do you offer?"),
        validators=[InputRequired(_l("Choose at least one service"))],
    )
    areas_covered = StringField(
        _l("Which postcode districts do you cover?"),
        validators=[
            DataRequired(_l("Enter the postcode districts you cover, like KA7 KA8")),
            Normalised(normalise_districts),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services.choices = _service_choices()


class AvailabilityForm(FlaskForm):  # type: ignore[misc]
    # One box per day and time of day, so "Tuesday morning" on the search means just that.
    slots = GridCheckboxField(
        _l("When can you work?"),
        choices=slot_choices(),
        rows=list(DAY_LABELS.values()),
        columns=list(TIME_LABELS.values()),
    )
    price_per_hour = StringField(
        _l("Price per hour, in pounds (optional)"), validators=[Normalised(parse_price)]
    )
    sds_options = MultiCheckboxField(
        _l("Which Self-directed Support options can people use to pay you?"),
        choices=list(SDS_LABELS.items()),
    )


class AboutForm(FlaskForm):  # type: ignore[misc]
    description = TextAreaField(
        _l("Describe your service"),
        validators=[DataRequired(_l("Describe your service")), Normalised(_multiline(2000))],
    )
    # Pages mark the description with it, so a screen reader reads it in the right voice.
    description_language = WrittenLanguageField(
        _l("Which language is your description written in?")
    )
    languages = StringField(
        _l("Languages you speak (optional)"), validators=[Normalised(_languages)]
    )
    website = StringField(_l("Website (optional)"), validators=[Normalised(normalise_url)])


class ConsentForm(FlaskForm):  # type: ignore[misc]
    consent = BooleanField(
        _l("I agree to follow the CIC's standards for micro-providers"),
        validators=[DataRequired(_l("Agree to the standards to continue"))],
    )
    standards_version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    def signed_version(self) -> int:
        """The version the page showed; the current one if the page did not say (or said a
        version that does not exist)."""
        shown = self.standards_version.data
        return (
            shown if shown in range(1, CURRENT_STANDARDS.number + 1) else CURRENT_STANDARDS.number
        )


class ListingForm(FlaskForm):  # type: ignore[misc]
    """Everything a provider can change about their listing, on one page."""

    version = IntegerField(widget=HiddenField.widget)
    name = BusinessForm.name
    contact_name = BusinessForm.contact_name
    phone = BusinessForm.phone
    postcode = BusinessForm.postcode
    services = ServicesForm.services
    areas_covered = ServicesForm.areas_covered
    slots = AvailabilityForm.slots
    price_per_hour = AvailabilityForm.price_per_hour
    sds_options = AvailabilityForm.sds_options
    description = AboutForm.description
    description_language = AboutForm.description_language
    languages = AboutForm.languages
    website = AboutForm.website

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services.choices = _service_choices()


class ReportForm(FlaskForm):  # type: ignore[misc]
    category = RadioField(
        _l("What is wrong?"),
        choices=[(key.value, _l(label)) for key, label in CATEGORY_LABELS.items()],
        validators=[InputRequired(_l("Choose what is wrong with the listing"))],
    )
    details = TextAreaField(
        _l("Tell us more (optional)"),
        validators=[
            Length(
                max=DETAILS_MAX_LENGTH,
                message=_l("Must be 2,000 characters or fewer"),
            )
        ],
    )
    email = EmailField(
        _l("Your email, if you would like a reply (optional)"),
        validators=[Normalised(normalise_email)],
    )


class IntakeForm(FlaskForm):  # type: ignore[misc]
    """Taking on new people? From the dashboard and the six-monthly email's page."""

    intake = RadioField(
        _l("Are you taking on new people?"),
        validators=[InputRequired(_l("Choose whether you are taking on new people"))],
    )
    until = StringField(
        _l("Full until (YYYY-MM-DD)"),
        validators=[Optional(), Normalised(parse_date)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.intake.choices = intake_choices()
