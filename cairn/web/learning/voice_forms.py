"""Forms for a voice heard in a reflection: its words and consent, a correction of its words,
and a withdrawal of its consent. The domain checks them again (cairn.domain.learning.voices)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from cairn.domain.learning.vocabulary import CONSENT_WAYS, VISIBILITY, VOICES
from cairn.domain.learning.voices import MAX_WORDS
from cairn.web.date_fields import NotInFuture, UKDateField
from cairn.web.learning.forms import choices_of


def _words(label: Any) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            DataRequired(_l("Enter their words, as they said or wrote them")),
            Length(
                max=MAX_WORDS,
                message=_l("Keep their words to %(max)d characters or fewer", max=MAX_WORDS),
            ),
        ],
    )


class VoiceForm(FlaskForm):  # type: ignore[misc]
    role = RadioField(
        _l("Whose voice is it?"),
        choices=choices_of(VOICES),
        validators=[DataRequired(_l("Choose whose voice this is"))],
    )
    words = _words(_l("Their words"))
    consent_how = RadioField(
        _l("How did they give their consent?"),
        choices=choices_of(CONSENT_WAYS),
        validators=[DataRequired(_l("Choose how they gave their consent"))],
    )
    consent_on = UKDateField(
        _l("When did they give it?"),
        validators=[
            DataRequired(_l("Enter the date they gave their consent")),
            NotInFuture(_l("The date consent was given cannot be in the future")),
        ],
    )
    consent_covers = RadioField(
        _l("Who did they agree can read their words?"),
        choices=choices_of(VISIBILITY),
        validators=[DataRequired(_l("Choose who their consent lets read their words"))],
    )


class VoiceWordsForm(FlaskForm):  # type: ignore[misc]
    words = _words(_l("Their words"))


class WithdrawConsentForm(FlaskForm):  # type: ignore[misc]
    withdrawn_on = UKDateField(
        _l("When did they withdraw it?"),
        validators=[
            DataRequired(_l("Enter the date they withdrew their consent")),
            NotInFuture(_l("The date consent was withdrawn cannot be in the future")),
        ],
    )
    # The first answer asks once more, plainly; the second carries this.
    confirmed = HiddenField()
