"""The reminders the daily sweep sends: insurance and PVG membership running out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from cairn.domain.directory.command_base import CommandsBase
from cairn.domain.directory.lifecycle import Status
from cairn.domain.directory.provider import Provider
from cairn.domain.directory.reminders import Check, RenewalReminder, stage_on
from cairn.domain.errors import StaleState

# Listings whose checks matter: on the directory, or off it for a while.
REMINDED = frozenset({Status.APPROVED, Status.SUSPENDED})


class RemindingCommands(CommandsBase):
    def remind_renewals(self, today: date, candidates: Iterable[UUID]) -> list[RenewalReminder]:
        """A reminder for each check of each candidate that is due one today and has not had
        it; returns those made now. Candidates come from a read model and may be stale: each
        provider is loaded and decides, and the reminder's id makes a repeat impossible."""
        made = []
        for provider_id in candidates:
            provider = self.app.load(Provider, provider_id)
            if provider.status not in REMINDED:
                continue
            for check, expires_on in (
                (Check.INSURANCE, provider.insurance_expires_on),
                (Check.PVG, provider.pvg_expires_on()),
            ):
                if expires_on is None or (stage := stage_on(expires_on, today)) is None:
                    continue
                reminder_id = RenewalReminder.create_id(provider_id, check, expires_on, stage)
                if self.app.exists(reminder_id):
                    continue
                reminder = RenewalReminder(
                    provider_id=provider_id, check=check, expires_on=expires_on, stage=stage
                )
                try:
                    self.app.record(reminder)
                except StaleState:
                    continue  # another sweep made it a moment ago
                made.append(reminder)
        return made
