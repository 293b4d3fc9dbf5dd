"""The checks that keep a provider safe to list: PVG, insurance, and how often they are renewed.

Pure rules on dates, so the aggregate, the renewals queue and the admin page agree."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import NAMESPACE_URL, uuid5

from cairn.domain.text import Text, _

# Who acts when no person does: the daily check sweep and the bulk import.
SYSTEM_ACTOR = uuid5(NAMESPACE_URL, "cairn:actor:system")
IMPORT_ACTOR = uuid5(NAMESPACE_URL, "cairn:actor:import")
# The provider acting through a link emailed to the listing's address (they may have no account).
EMAILED_LINK_ACTOR = uuid5(NAMESPACE_URL, "cairn:actor:emailed-link")

# PVG scheme membership runs five years (the Disclosure (Scotland) Act 2020, in force from
# April 2025), and the CIC asks for a listing confirmation twice a year.
PVG_VALID_FOR = timedelta(days=5 * 365 + 1)
CONFIRM_EVERY = timedelta(days=182)
RENEWAL_WINDOW = timedelta(days=30)
# How long after asking for the confirmation the CIC reviews a listing nobody has confirmed.
CONFIRM_GRACE = timedelta(days=28)

HIDDEN_FOR_INSURANCE = "insurance-expired"


def pvg_expiry(checked_on: date | None) -> date | None:
    return None if checked_on is None else checked_on + PVG_VALID_FOR


def check_problems(
    pvg_checked_on: date | None, insurance_expires_on: date | None, today: date
) -> list[Text]:
    """What stops approval today, in plain English; empty when the checks are current."""
    problems: list[Text] = []
    pvg_expires_on = pvg_expiry(pvg_checked_on)
    if pvg_expires_on is None:
        problems.append(_("there is no PVG check on record"))
    elif pvg_expires_on < today:
        problems.append(_("the PVG membership is more than five years old"))
    if insurance_expires_on is None:
        problems.append(_("there is no public liability insurance on record"))
    elif insurance_expires_on < today:
        problems.append(_("the public liability insurance has expired"))
    return problems


def renewals_due(
    pvg_checked_on: date | None, insurance_expires_on: date | None, today: date
) -> list[str]:
    """Checks that run out within 30 days (or already have)."""
    due = []
    horizon = today + RENEWAL_WINDOW
    pvg_expires_on = pvg_expiry(pvg_checked_on)
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
