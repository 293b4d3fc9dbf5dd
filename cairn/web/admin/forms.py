"""The CIC's check forms: PVG membership, insurance, training and the standards agreement,
each with UK date boxes and (but the agreement) a file of evidence.

Each form's fields have names of their own, so the four can sit on one page and a mistake
in one is shown in its boxes with the typing kept."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import FileField, SelectField, StringField
from wtforms.validators import DataRequired, ValidationError

from cairn.domain.directory.checks import normalise_pvg_number, parse_cover
from cairn.domain.directory.evidence import MAX_EVIDENCE_BYTES, Upload, accept_upload
from cairn.domain.directory.training import COURSES, OTHER
from cairn.domain.errors import DomainError
from cairn.web.date_fields import NotInFuture, UKDateField
from cairn.web.forms import Normalised, VersionForm, _text
from cairn.web.i18n import translate


class Evidence:
    """An optional file: read (up to just past the limit), then checked by its bytes. Its
    `upload` is the accepted file, or None when none was chosen."""

    def __call__(self, form: Any, field: Any) -> None:
        field.upload = None
        storage = field.data
        if storage is None or not getattr(storage, "filename", ""):
            return
        data = storage.read(MAX_EVIDENCE_BYTES + 1)
        try:
            field.upload = accept_upload(data)
        except DomainError as error:
            raise ValidationError(translate(error.message)) from None


def upload_of(field: Any) -> Upload | None:
    upload: Upload | None = getattr(field, "upload", None)
    return upload


class PvgForm(VersionForm):
    membership_number = StringField(
        _l("PVG scheme membership number"),
        validators=[
            DataRequired(_l("Enter the PVG scheme membership number")),
            Normalised(normalise_pvg_number),
        ],
    )
    pvg_checked_on = UKDateField(
        _l("Date the membership was checked"),
        validators=[
            DataRequired(_l("Enter the date the membership was checked")),
            NotInFuture(_l("The PVG check date cannot be in the future")),
        ],
    )
    pvg_renewal_due = UKDateField(_l("Renewal due (optional)"))
    pvg_evidence = FileField(_l("PVG certificate (optional)"), validators=[Evidence()])


class InsuranceForm(VersionForm):
    insurer = StringField(
        _l("Insurer"),
        validators=[DataRequired(_l("Enter the name of the insurer")), Normalised(_text(200))],
    )
    policy_number = StringField(
        _l("Policy number"),
        validators=[DataRequired(_l("Enter the policy number")), Normalised(_text(60))],
    )
    cover = StringField(
        _l("Public liability cover, in pounds"),
        validators=[DataRequired(_l("Enter the cover amount")), Normalised(parse_cover)],
    )
    insurance_expires_on = UKDateField(
        _l("Date the policy runs out"),
        validators=[DataRequired(_l("Enter the date the policy runs out"))],
    )
    insurance_evidence = FileField(_l("Insurance schedule (optional)"), validators=[Evidence()])


def _course_choices() -> list[tuple[str, str]]:
    return [
        ("", str(_l("Choose a course"))),
        *((key, translate(label)) for key, label in COURSES.items()),
        (OTHER, str(_l("Other (name it below)"))),
    ]


class TrainingForm(VersionForm):
    course = SelectField(
        _l("Course"),
        choices=_course_choices,
        validators=[DataRequired(_l("Choose a course, or choose Other and name it"))],
    )
    other_name = StringField(_l("Name of the course, if you chose Other"))
    training_completed_on = UKDateField(
        _l("Date completed"),
        validators=[
            DataRequired(_l("Enter the date the course was completed")),
            NotInFuture(_l("The training date cannot be in the future")),
        ],
    )
    training_expires_on = UKDateField(_l("Expires (optional)"))
    training_evidence = FileField(_l("Training certificate (optional)"), validators=[Evidence()])

    def validate_other_name(self, field: Any) -> None:
        if self.course.data == OTHER and not (field.data or "").strip():
            raise ValidationError(str(_l("Enter the name of the course")))


class StandardsForm(VersionForm):
    standards_signed_on = UKDateField(
        _l("Date signed"),
        validators=[
            DataRequired(_l("Enter the date the agreement was signed")),
            NotInFuture(_l("The date the agreement was signed cannot be in the future")),
        ],
    )


CHECK_FORMS: dict[str, type[VersionForm]] = {
    "pvg": PvgForm,
    "insurance": InsuranceForm,
    "training": TrainingForm,
    "standards": StandardsForm,
}
