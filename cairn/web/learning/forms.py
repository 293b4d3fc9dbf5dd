"""Forms for the learning system. The domain checks the content again; these catch the shape."""

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
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from cairn.domain.learning.vocabulary import (
    EXPERIMENT_KINDS,
    OUTCOMES,
    PRINCIPLES,
    TEAM,
    VISIBILITY,
    VOICES,
)
from cairn.domain.validation import Invalid, normalise_email, parse_date
from cairn.web.date_fields import UKDateField
from cairn.web.forms import MultiCheckboxField, Normalised, WrittenLanguageField
from cairn.web.i18n import translate
from cairn.web.learning.conversation_forms import InFuture


class IsoDate:
    """A YYYY-MM-DD date (what a browser's date picker sends); the value stays a string."""

    def __call__(self, form: FlaskForm, field: Any) -> None:
        if not field.data:
            return
        try:
            parse_date(field.data)
        except Invalid as error:
            raise ValidationError(translate(error.message)) from None


def choices_of(labels: dict[str, str]) -> list[tuple[str, Any]]:
    """A vocabulary (key -> label) as a field's choices, labels translated at display."""
    return [(key, _l(label)) for key, label in labels.items()]


class VersionedForm(FlaskForm):  # type: ignore[misc]
    """`version` is the aggregate version the person saw, so a stale save is caught."""

    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])


class TeamForm(FlaskForm):  # type: ignore[misc]
    name = StringField(
        _l("Team name"),
        validators=[DataRequired(_l("Enter the team's name")), Length(max=120)],
    )
    purpose = TextAreaField(_l("What the team learns about"), validators=[Length(max=2000)])
    lead_email = EmailField(
        _l("Email of the team lead (optional)"),
        validators=[Optional(), Normalised(normalise_email)],
    )


class MemberForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        _l("Their email address"),
        validators=[DataRequired(_l("Enter their email address")), Normalised(normalise_email)],
    )
    as_lead = BooleanField(_l("Make them a team lead (they can add others)"))


class NewAccountForm(FlaskForm):  # type: ignore[misc]
    display_name = StringField(
        _l("Their name as others will see it"),
        validators=[DataRequired(_l("Enter their name")), Length(max=120)],
    )
    email = EmailField(
        _l("Their email address"),
        validators=[DataRequired(_l("Enter their email address")), Normalised(normalise_email)],
    )
    password = PasswordField(
        _l("A first password for them"),
        validators=[
            DataRequired(_l("Enter a first password")),
            Length(min=12, message=_l("Use at least 12 characters")),
        ],
    )
    team_id = SelectField(_l("Add them to a team"), validators=[Optional()])
    # Offered to CIC administrators only (the view removes it for anyone else).
    partnership_lead = BooleanField(
        _l("Make them a partnership lead (they read across the teams and record funding)")
    )


class SharingForm(VersionedForm):
    teams = MultiCheckboxField(_l("Share our 'shared' learning with these teams"))
    everyone = BooleanField(_l("Share it with everyone signed in to Cairn"))


class LensFields:
    """Whose voices informed it (with the consent), its themes and principles: the same
    fields on a reflection and an experiment (templates: learning/_lens_fields.html)."""

    voices = MultiCheckboxField(_l("Whose voices informed this"), choices=choices_of(VOICES))
    consent_recorded = BooleanField(
        _l("Consent was given to share the lived-experience account recorded here")
    )
    themes = StringField(_l("Themes"))
    principles = MultiCheckboxField(
        _l("Ethical-commissioning principles it touches"), choices=choices_of(PRINCIPLES)
    )


class ReflectionForm(LensFields, VersionedForm):
    title = StringField(
        _l("A short title"),
        validators=[DataRequired(_l("Enter a title")), Length(max=150)],
    )
    happened_on = StringField(
        _l("When it happened"),
        validators=[DataRequired(_l("Enter the date it happened")), IsoDate()],
    )
    what_happened = TextAreaField(
        _l("What happened"), validators=[DataRequired(_l("Say what happened"))]
    )
    what_we_noticed = TextAreaField(_l("What we noticed"))
    what_we_learned = TextAreaField(
        _l("What we learned"), validators=[DataRequired(_l("Say what you learned"))]
    )
    what_next = TextAreaField(_l("What we will do next"))
    visibility = RadioField(_l("Who can read this"), choices=choices_of(VISIBILITY), default=TEAM)
    experiment_id = SelectField(_l("Experiment it belongs to"), validators=[Optional()])
    provider_id = SelectField(_l("Provider it concerns"), validators=[Optional()])
    district = StringField(_l("Postcode district"), validators=[Length(max=8)])
    signal = StringField(_l("Unmet-demand signal it answers"), validators=[Length(max=200)])
    language = WrittenLanguageField(_l("Which language is it written in?"))


class ExperimentForm(LensFields, VersionedForm):
    kind = RadioField(
        _l("Kind of experiment"),
        choices=choices_of(EXPERIMENT_KINDS),
        validators=[DataRequired(_l("Choose the kind of experiment"))],
    )
    title = StringField(
        _l("A short title"), validators=[DataRequired(_l("Enter a title")), Length(max=150)]
    )
    purpose = TextAreaField(_l("Purpose"), validators=[DataRequired(_l("Enter the purpose"))])
    question = TextAreaField(
        _l("The question it should answer"),
        validators=[DataRequired(_l("Enter the question it should answer"))],
    )
    what_we_try = TextAreaField(
        _l("What we'll try"), validators=[DataRequired(_l("Say what you will try"))]
    )
    prediction = TextAreaField(_l("What we expect to happen"))
    signals = TextAreaField(_l("How we'll notice"))
    who = StringField(_l("Who is involved"), validators=[Length(max=500)])
    where = StringField(_l("Where"), validators=[Length(max=300)])
    starts_on = StringField(_l("From"), validators=[Optional(), IsoDate()])
    ends_on = StringField(_l("Until"), validators=[Optional(), IsoDate()])
    funding_amount = StringField(_l("Funding amount in pounds"), validators=[Length(max=20)])
    funder = StringField(_l("Funder"), validators=[Length(max=200)])
    committed_months = IntegerField(
        _l("Funding committed for (months)"),
        validators=[Optional()],
    )
    visibility = RadioField(_l("Who can read this"), choices=choices_of(VISIBILITY), default=TEAM)
    language = WrittenLanguageField(_l("Which language is it written in?"))
    # Only when proposing: people often write an experiment down after it was agreed.
    proposed_on = StringField(_l("Date it was proposed"), validators=[Optional(), IsoDate()])
    # Experiments of any team this one builds on: the view offers those the person may read.
    builds_on = MultiCheckboxField(_l("Experiments it builds on"))


class AmendForm(VersionedForm):
    """A running experiment's plan, amended with the reason (the original stays in the story)."""

    what_we_try = TextAreaField(
        _l("What we'll try"), validators=[DataRequired(_l("Say what you will try"))]
    )
    prediction = TextAreaField(_l("What we expect to happen"))
    signals = TextAreaField(_l("How we'll notice"))
    reason = TextAreaField(
        _l("Why we are amending it"),
        validators=[DataRequired(_l("Give the reason for the amendment")), Length(max=5000)],
    )
    on = StringField(_l("Date amended"), validators=[Optional(), IsoDate()])
    language = WrittenLanguageField(_l("Which language is it written in?"))


class SenseMakingForm(FlaskForm):  # type: ignore[misc]
    on = StringField(_l("Date of the session"), validators=[Optional(), IsoDate()])
    roles = MultiCheckboxField(_l("Who took part"), choices=choices_of(VOICES))
    notes = TextAreaField(
        _l("What we made of it together"),
        validators=[DataRequired(_l("Write the notes of the session")), Length(max=5000)],
    )
    voices = MultiCheckboxField(_l("Whose voices were heard"), choices=choices_of(VOICES))
    consent_recorded = BooleanField(
        _l("Consent was given to share the lived-experience account recorded here")
    )
    language = WrittenLanguageField(_l("Which language is it written in?"))


class ResumeForm(VersionedForm):
    reason = TextAreaField(
        _l("Why it goes back to running"),
        validators=[DataRequired(_l("Give the reason it goes back to running")), Length(max=5000)],
    )
    on = StringField(_l("Date"), validators=[Optional(), IsoDate()])
    language = WrittenLanguageField(_l("Which language is it written in?"))


class StageForm(VersionedForm):
    """Start, or begin making sense: the date it happened."""

    on = StringField(_l("Date"), validators=[Optional(), IsoDate()])


class ObservationForm(FlaskForm):  # type: ignore[misc]
    on = StringField(_l("Date noticed"), validators=[Optional(), IsoDate()])
    text = TextAreaField(
        _l("What you noticed"),
        validators=[DataRequired(_l("Say what you noticed")), Length(max=5000)],
    )
    role = SelectField(
        _l("Your role"),
        choices=[("", _l("Choose your role")), *choices_of(VOICES)],
        validators=[DataRequired(_l("Choose your role"))],
    )
    value = StringField(_l("A number, if it helps (optional)"), validators=[Length(max=30)])
    unit = StringField(_l("What the number counts"), validators=[Length(max=40)])
    language = WrittenLanguageField(_l("Which language is it written in?"))


class ConcludeForm(VersionedForm):
    against_prediction = TextAreaField(_l("What happened, against what we predicted"))
    surprises = TextAreaField(_l("What surprised us"))
    outcome = RadioField(
        _l("What we decided"),
        choices=choices_of(OUTCOMES),
        validators=[DataRequired(_l("Choose adopt, adapt or abandon"))],
    )
    learned = TextAreaField(
        _l("What we learned"), validators=[DataRequired(_l("Say what you learned"))]
    )
    reason = TextAreaField(
        _l("Why we decided this"), validators=[DataRequired(_l("Give the reason"))]
    )
    next_question = TextAreaField(_l("If adapting: the question the next cycle should answer"))
    next_try = TextAreaField(_l("If adapting: what the next cycle will try"))
    next_prediction = TextAreaField(_l("If adapting: what we now expect to happen"))
    on = StringField(_l("Date decided"), validators=[Optional(), IsoDate()])
    language = WrittenLanguageField(_l("Which language is it written in?"))
    # When to look at the decision again (optional): it comes back to the team's page then.
    review_on = UKDateField(
        _l("When should the team look at this decision again?"), validators=[InFuture()]
    )


class RedactForm(FlaskForm):  # type: ignore[misc]
    """Redact one version: the reason first, then (`confirmed`) a deliberate second step."""

    reason = TextAreaField(
        _l("Why this version is redacted"),
        validators=[DataRequired(_l("Enter the reason for the redaction")), Length(max=500)],
    )
    confirmed = HiddenField()
