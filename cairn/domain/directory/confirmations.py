"""Every six months the CIC asks each listed provider "is your listing still right?".

A request is an event with an id made from the provider, the day the confirmation fell due
and the stage (asked, then reminded two weeks later), so a sweep run twice asks once. The
emailed link opens a page with one button that confirms the listing (and sets the ORUK
`assured_date`); nobody having confirmed four weeks after the ask puts the listing in the
CIC's review queue (cairn/readmodels/directory/queries.py, "renewals")."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from cairn.domain.accounts.reset import LinkExpired
from cairn.domain.text import _

REMIND_AFTER = timedelta(days=14)
LINK_LASTS = timedelta(days=60)


class Ask(StrEnum):
    ASKED = "asked"
    REMINDED = "reminded"


def ask_on(due_on: date, today: date) -> Ask | None:
    """Which ask is due today for a confirmation that fell due on `due_on` (the latest)."""
    if today >= due_on + REMIND_AFTER:
        return Ask.REMINDED
    if today >= due_on:
        return Ask.ASKED
    return None


class ConfirmationRequest(Aggregate):
    class Sent(Aggregate.Created):
        provider_id: UUID
        due_on: date
        stage: str

    @staticmethod
    def create_id(provider_id: UUID, due_on: date, stage: str) -> UUID:
        return uuid5(
            NAMESPACE_URL, f"cairn:confirmation-request:{provider_id}:{due_on.isoformat()}:{stage}"
        )

    @event(Sent)
    def __init__(self, provider_id: UUID, due_on: date, stage: str) -> None:
        self.provider_id = provider_id
        self.due_on = due_on
        self.stage = stage

    def check_usable(self, now: datetime) -> None:
        if now - self.created_on > LINK_LASTS:
            raise LinkExpired(
                _("This link has expired. Sign in to confirm your listing from your dashboard.")
            )
