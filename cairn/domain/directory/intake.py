"""Whether a provider is taking on new people: the one vocabulary and its rules.

Families stop writing to providers who are full. A provider says so from the dashboard or
the six-monthly email's page; "full" needs the day they expect to take people on again, and
once that day comes the daily sweep clears it (so nobody stays "full" by oversight). A status
older than `STALE_AFTER` brings a reminder to say it again."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from cairn.domain.errors import DomainError
from cairn.domain.text import Text, _

STALE_AFTER = timedelta(days=60)
FULL_AT_MOST = timedelta(days=2 * 365)


class Intake(StrEnum):
    TAKING = "taking"
    WAITING_LIST = "waiting-list"
    FULL = "full"


INTAKE_LABELS: dict[Intake, Text] = {
    Intake.TAKING: _("Taking on new people"),
    Intake.WAITING_LIST: _("Has a waiting list"),
    Intake.FULL: _("Full just now"),
}


def check_intake(status: str, until: date | None, today: date) -> tuple[Intake, date | None]:
    """The status and day, checked; raises DomainError with what to put right."""
    try:
        intake = Intake(status)
    except ValueError:
        raise DomainError(_("Choose whether you are taking on new people")) from None
    if intake is not Intake.FULL:
        return intake, None
    if until is None:
        raise DomainError(_("Enter the date you expect to take on new people again"))
    if until <= today:
        raise DomainError(_("The date you expect to take on new people must be in the future"))
    if until > today + FULL_AT_MOST:
        raise DomainError(_("Choose a date within the next two years"))
    return intake, until
