"""The checks that keep a provider safe to list: PVG, insurance, and how often they are renewed.

Pure rules on dates and numbers, so the aggregate, the renewals queue and the admin page agree."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from uuid import NAMESPACE_URL, uuid5

from cairn.domain.errors import DomainError, Invalid
from cairn.domain.money import MoneyRule, parse_pounds
from cairn.domain.text import Text, _

# Who acts when no person does: the daily check sweep and the bulk import.
SYSTEM_ACTOR = uuid5(NAMESPACE_URL, "cairn:actor:system")
IMPORT_ACTOR = uuid5(NAMESPACE_URL, "cairn:actor:import")
# The provider acting through a link emailed to the listing's address (they may have no account).
EMAILED_LINK_ACTOR = uuid5(NAMESPACE_URL, "cairn:actor:emailed-link")

# PVG scheme membership runs five years and must then be renewed (the Disclosure (Scotland)
# Act 2020, in force from April 2025); the CIC asks for a listing confirmation twice a year.
PVG_MEMBERSHIP_YEARS = 5
CONFIRM_EVERY = timedelta(days=182)
RENEWAL_WINDOW = timedelta(days=30)
# How long after asking for the confirmation the CIC reviews a listing nobody has confirmed.
CONFIRM_GRACE = timedelta(days=28)

HIDDEN_FOR_INSURANCE = "insurance-expired"


def years_after(day: date, years: int) -> date:
    """The same day `years` later; 29 February falls on 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def pvg_renewal_due(checked_on: date | None, renewal_due: date | None = None) -> date | None:
    """When the membership must be renewed: the date recorded, or (a check recorded before
    the renewal date was asked, or none given) five years after it was checked."""
    if renewal_due is not None:
        return renewal_due
    return None if checked_on is None else years_after(checked_on, PVG_MEMBERSHIP_YEARS)


# A PVG scheme membership number is 16 digits; people type it in groups of four.
_PVG_NUMBER = re.compile(r"[0-9]{16}")


def normalise_pvg_number(text: str) -> str:
    """'1234 5678 9012 3456' -> '1234567890123456'; Invalid if it is not 16 digits."""
    number = re.sub(r"[\s-]", "", text)
    if not _PVG_NUMBER.fullmatch(number):
        raise Invalid(
            _("Enter the PVG scheme membership number: 16 digits, like 1234 5678 9012 3456")
        )
    return number


def check_pvg(checked_on: date, renewal_due: date | None, today: date) -> date:
    """The renewal date to record for a check on `checked_on`; DomainError if it cannot be."""
    if checked_on > today:
        raise DomainError(_("The PVG check date cannot be in the future."))
    latest = years_after(checked_on, PVG_MEMBERSHIP_YEARS)
    due = latest if renewal_due is None else renewal_due
    if due <= checked_on:
        raise DomainError(_("The PVG renewal date must be after the date it was checked."))
    if due > latest:
        raise DomainError(_("PVG membership must be renewed within five years of the check."))
    return due


# Public liability cover: from a pound to a hundred million (schemes sell £1m to £10m).
MAX_COVER = Decimal("100000000")
INSURANCE_COVER = MoneyRule(
    maximum=MAX_COVER,
    not_money=_("Enter the cover in pounds, like 5,000,000"),
    not_more_than_nothing=_("Enter a cover amount more than £0"),
    too_much=_("Enter a cover amount of £100,000,000 or less"),
    not_to_the_penny=_("Enter the cover amount to the nearest penny"),
)


def parse_cover(text: str) -> Decimal:
    return parse_pounds(text, INSURANCE_COVER)


def check_problems(
    pvg_renewal_due: date | None, insurance_expires_on: date | None, today: date
) -> list[Text]:
    """What stops approval today, in plain English; empty when the checks are current."""
    problems: list[Text] = []
    pvg_expires_on = pvg_renewal_due
    if pvg_expires_on is None:
        problems.append(_("there is no PVG check on record"))
    elif pvg_expires_on < today:
        problems.append(_("the PVG membership is past its renewal date"))
    if insurance_expires_on is None:
        problems.append(_("there is no public liability insurance on record"))
    elif insurance_expires_on < today:
        problems.append(_("the public liability insurance has expired"))
    return problems


def renewals_due(
    pvg_renewal_due: date | None, insurance_expires_on: date | None, today: date
) -> list[str]:
    """Checks that run out within 30 days (or already have)."""
    due = []
    horizon = today + RENEWAL_WINDOW
    pvg_expires_on = pvg_renewal_due
    if pvg_expires_on is not None and pvg_expires_on <= horizon:
        due.append("pvg")
    if insurance_expires_on is not None and insurance_expires_on <= horizon:
        due.append("insurance")
    return due


def confirmation_due(last_confirmed_on: date | None, approved_on: date | None, today: date) -> bool:
    """Whether a listing is due its twice-yearly confirmation (its status aside)."""
    last = last_confirmed_on or approved_on
    return last is None or last + CONFIRM_EVERY <= today


def confirmation_due_on(last_confirmed_on: date | None, approved_on: date | None) -> date | None:
    """The day the next confirmation falls due (None: never approved, so never asked)."""
    last = last_confirmed_on or approved_on
    return None if last is None else last + CONFIRM_EVERY
