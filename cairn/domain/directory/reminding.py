"""The reminders the daily sweep sends: insurance and PVG membership running out, and the
six-monthly "is your listing still right?"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from uuid import UUID

from cairn.domain.directory.checks import EMAILED_LINK_ACTOR, confirmation_due_on
from cairn.domain.directory.command_base import CommandsBase
from cairn.domain.directory.confirmations import ConfirmationRequest, ask_on
from cairn.domain.directory.digest import WeeklyDigest, week_of
from cairn.domain.directory.intake import STALE_AFTER
from cairn.domain.directory.lifecycle import Status
from cairn.domain.directory.provider import Provider
from cairn.domain.directory.reminders import Check, RenewalReminder, Stage, stage_on
from cairn.domain.errors import StaleState
from cairn.domain.outcome import Done

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
                made += self._remind(provider_id, check, expires_on, stage)
            if provider.status == Status.APPROVED and provider.intake_on is not None:
                stale_on = provider.intake_on + STALE_AFTER
                if stale_on <= today:
                    made += self._remind(provider_id, Check.INTAKE, stale_on, Stage.STALE)
        return made

    def _remind(
        self, provider_id: UUID, check: Check, expires_on: date, stage: Stage
    ) -> list[RenewalReminder]:
        reminder_id = RenewalReminder.create_id(provider_id, check, expires_on, stage)
        if self.app.exists(reminder_id):
            return []
        reminder = RenewalReminder(
            provider_id=provider_id, check=check, expires_on=expires_on, stage=stage
        )
        try:
            self.app.record(reminder)
        except StaleState:
            return []  # another sweep made it a moment ago
        return [reminder]

    def lapse_full_intakes(self, today: date, candidates: Iterable[UUID]) -> list[UUID]:
        """Clear "full until" once its day has come; returns the providers cleared."""
        cleared = []
        for provider_id in candidates:
            provider = self.app.load(Provider, provider_id)
            if provider.lapse_intake(today):
                try:
                    self.app.record(provider)
                except StaleState:
                    continue  # changed meanwhile: the next sweep looks again
                cleared.append(provider_id)
        return cleared

    def ask_for_confirmations(
        self, today: date, candidates: Iterable[UUID]
    ) -> list[ConfirmationRequest]:
        """Ask (or remind) each listed candidate whose confirmation is due and who has not
        been asked at this stage; returns the requests made now."""
        made = []
        for provider_id in candidates:
            provider = self.app.load(Provider, provider_id)
            if not provider.confirmation_due(today):
                continue
            due_on = confirmation_due_on(provider.last_confirmed_on, provider.approved_on)
            if due_on is None or (stage := ask_on(due_on, today)) is None:
                continue
            request_id = ConfirmationRequest.create_id(provider_id, due_on, stage)
            if self.app.exists(request_id):
                continue
            request = ConfirmationRequest(provider_id=provider_id, due_on=due_on, stage=stage)
            try:
                self.app.record(request)
            except StaleState:
                continue
            made.append(request)
        return made

    def confirmation_request(self, request_id: UUID) -> tuple[ConfirmationRequest, Provider]:
        """The request and its listing, if its link still works; raises if not."""
        request = self.app.load(ConfirmationRequest, request_id)
        request.check_usable(self.app.clock())
        return request, self.app.load(Provider, request.provider_id)

    def confirm_by_link(self, request_id: UUID) -> Done:
        """The one button on the emailed link's page: the listing is still right."""
        _request, provider = self.confirmation_request(request_id)
        by = provider.account_id or EMAILED_LINK_ACTOR
        provider.confirm_listing(by=by, today=self.today())
        return Done(provider.id, self.app.record(provider))

    def make_weekly_digest(self, today: date, counts: Mapping[str, int]) -> WeeklyDigest | None:
        """This week's digest for the CIC, unless it has been made already."""
        week = week_of(today)
        if self.app.exists(WeeklyDigest.create_id(week)):
            return None
        digest = WeeklyDigest(week=week, counts=counts)
        try:
            self.app.record(digest)
        except StaleState:
            return None  # another sweep made it a moment ago
        return digest

    def set_intake_by_link(self, request_id: UUID, status: str, until: date | None) -> Done:
        """Taking on new people? Said on the emailed link's page."""
        _request, provider = self.confirmation_request(request_id)
        by = provider.account_id or EMAILED_LINK_ACTOR
        provider.set_intake(by=by, status=status, until=until, today=self.today())
        return Done(provider.id, self.app.record(provider))
