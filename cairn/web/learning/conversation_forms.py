"""Forms for the conversation: a comment, a review date and its review, a learning partner."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from cairn.domain.clock import today
from cairn.domain.learning.conversation import MAX_COMMENT, MAX_NOTE
from cairn.domain.validation import normalise_email
from cairn.web.commanding import runtime
from cairn.web.date_fields import UKDateField
from cairn.web.forms import Normalised, WrittenLanguageField


class InFuture:
    """Refuse a date that is today or before: a review is for later."""

    def __call__(self, form: Any, field: UKDateField) -> None:
        if field.data is not None and field.data <= today(runtime().app.clock):
            raise ValidationError(str(_l("The review date must be in the future")))


class CommentForm(FlaskForm):  # type: ignore[misc]
    text = TextAreaField(
        _l("Your comment"),
        validators=[
            DataRequired(_l("Write your comment")),
            Length(
                max=MAX_COMMENT,
                message=_l("Keep your comment to %(max)d characters or fewer", max=MAX_COMMENT),
            ),
        ],
    )
    language = WrittenLanguageField(_l("Which language is it written in?"))


class ReviewDateForm(FlaskForm):  # type: ignore[misc]
    due_on = UKDateField(
        _l("Review date"),
        validators=[DataRequired(_l("Enter the review date")), InFuture()],
    )


class ReviewedForm(FlaskForm):  # type: ignore[misc]
    note = TextAreaField(
        _l("What the review found"),
        validators=[
            DataRequired(_l("Say what the review found")),
            Length(
                max=MAX_NOTE,
                message=_l("Keep the note to %(max)d characters or fewer", max=MAX_NOTE),
            ),
        ],
    )
    language = WrittenLanguageField(_l("Which language is it written in?"))


class PartnerForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        _l("Their email address"),
        validators=[DataRequired(_l("Enter their email address")), Normalised(normalise_email)],
    )
