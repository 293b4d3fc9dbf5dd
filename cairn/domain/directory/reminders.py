"""A reminder that a provider's insurance or PVG membership runs out: one per stage.

Its id is made from the provider, the check, the day it runs out and the stage, so the
event store itself refuses a second of the same: a sweep run twice, or in two processes at
once, reminds once. Renewing gives a new expiry day, and so a fresh round of reminders."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class Check(StrEnum):
    INSURANCE = "insurance"
    PVG = "pvg"
    INTAKE = "intake"  # "taking on new people?" said long ago: say it again


class Stage(StrEnum):
    IN_30_DAYS = "30-days"
    IN_7_DAYS = "7-days"
    EXPIRED = "expired"
    STALE = "stale"  # for INTAKE: said more than STALE_AFTER ago


def stage_on(expires_on: date, today: date) -> Stage | None:
    """Which reminder is due today for a check that runs out on `expires_on` (None: not yet).

    Only the latest stage: a sweep that first sees a check five days out sends the 7-day
    reminder, not both."""
    days_left = (expires_on - today).days
    if days_left < 0:
        return Stage.EXPIRED
    if days_left <= 7:
        return Stage.IN_7_DAYS
    if days_left <= 30:
        return Stage.IN_30_DAYS
    return None


class RenewalReminder(Aggregate):
    class Due(Aggregate.Created):
        provider_id: UUID
        check: str
        expires_on: date
        stage: str

    @staticmethod
    def create_id(provider_id: UUID, check: str, expires_on: date, stage: str) -> UUID:
        return uuid5(
            NAMESPACE_URL,
            f"cairn:renewal-reminder:{provider_id}:{check}:{expires_on.isoformat()}:{stage}",
        )

    @event(Due)
    def __init__(self, provider_id: UUID, check: str, expires_on: date, stage: str) -> None:
        self.provider_id = provider_id
        self.check = check
        self.expires_on = expires_on
        self.stage = stage
