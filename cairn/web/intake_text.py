"""Whether a provider takes on new people, in words, for every page that shows it."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from cairn.domain.directory.intake import INTAKE_LABELS, Intake
from cairn.web.i18n import translate


def intake_text(intake: str | None, until: date | None) -> str:
    """'Taking on new people', 'Has a waiting list', 'Full until 1 March 2027'; '' if not said."""
    if not intake:
        return ""
    if intake == Intake.FULL.value and until is not None:
        return str(_("Full until %(date)s", date=format_date(until, "long")))
    try:
        return translate(INTAKE_LABELS[Intake(intake)])
    except ValueError:
        return ""


def intake_choices() -> list[tuple[str, str]]:
    return [
        (Intake.TAKING.value, translate(INTAKE_LABELS[Intake.TAKING])),
        (Intake.WAITING_LIST.value, translate(INTAKE_LABELS[Intake.WAITING_LIST])),
        (Intake.FULL.value, _("Full until a date")),
    ]
