"""The CIC's review of applications and decisions about providers, and the public's problem
reports."""

from __future__ import annotations

from uuid import UUID

from cairn.domain.directory.command_base import CommandsBase
from cairn.domain.directory.provider import Provider
from cairn.domain.directory.report import DETAILS_MAX_LENGTH, ProblemCategory, ProblemReport
from cairn.domain.errors import DomainError, NotFound
from cairn.domain.outcome import Done
from cairn.domain.validation import Invalid, _, normalise_email


class ReviewCommands(CommandsBase):
    def start_review(
        self, provider_id: UUID, *, by: UUID, expected_version: int | None = None
    ) -> Done:
        return self._act(provider_id, expected_version, lambda p: p.start_review(by=by))

    def request_information(
        self, provider_id: UUID, *, by: UUID, question: str, expected_version: int | None = None
    ) -> Done:
        question = self._text(question, 2000, required=False)
        return self._act(
            provider_id, expected_version, lambda p: p.request_information(by=by, question=question)
        )

    def provide_information(
        self, provider_id: UUID, *, by: UUID, answer: str, expected_version: int | None = None
    ) -> Done:
        answer = self._text(answer, 4000, required=False)
        return self._act(
            provider_id, expected_version, lambda p: p.provide_information(by=by, answer=answer)
        )

    def approve(self, provider_id: UUID, *, by: UUID, expected_version: int | None = None) -> Done:
        today = self.today()
        return self._act(provider_id, expected_version, lambda p: p.approve(by=by, today=today))

    def decline(
        self, provider_id: UUID, *, by: UUID, reason: str, expected_version: int | None = None
    ) -> Done:
        reason = self._text(reason, 2000, required=False)
        return self._act(provider_id, expected_version, lambda p: p.decline(by=by, reason=reason))

    def suspend(
        self, provider_id: UUID, *, by: UUID, reason: str, expected_version: int | None = None
    ) -> Done:
        reason = self._text(reason, 2000, required=False)
        return self._act(provider_id, expected_version, lambda p: p.suspend(by=by, reason=reason))

    def reinstate(
        self, provider_id: UUID, *, by: UUID, note: str = "", expected_version: int | None = None
    ) -> Done:
        today = self.today()
        note = self._text(note, 2000, required=False)
        return self._act(
            provider_id, expected_version, lambda p: p.reinstate(by=by, today=today, note=note)
        )

    def withdraw(
        self, provider_id: UUID, *, by: UUID, reason: str = "", expected_version: int | None = None
    ) -> Done:
        reason = self._text(reason, 2000, required=False)
        return self._act(provider_id, expected_version, lambda p: p.withdraw(by=by, reason=reason))

    def remove(
        self, provider_id: UUID, *, by: UUID, reason: str, expected_version: int | None = None
    ) -> Done:
        reason = self._text(reason, 2000, required=False)
        return self._act(provider_id, expected_version, lambda p: p.remove(by=by, reason=reason))

    # -- problem reports ---------------------------------------------------------------------

    def report_problem(
        self, provider_id: UUID, *, category: str, details: str, reporter_email: str | None
    ) -> Done:
        provider = self.app.load(Provider, provider_id)
        if provider.public_listing() is None:
            raise NotFound(_("This provider is not listed."))
        try:
            kind = ProblemCategory(category)
        except ValueError:
            raise DomainError(_("Choose what is wrong with the listing.")) from None
        details = self._text(details, DETAILS_MAX_LENGTH, required=False)
        email = None
        if reporter_email and reporter_email.strip():
            try:
                email = normalise_email(reporter_email)
            except Invalid as error:
                raise DomainError(error.message) from None
        report = ProblemReport(
            provider_id=provider_id, category=kind.value, details=details, reporter_email=email
        )
        return Done(report.id, self.app.record(report))

    def resolve_report(
        self, report_id: UUID, *, by: UUID, note: str, expected_version: int | None = None
    ) -> Done:
        report = self.app.load(ProblemReport, report_id, expected_version)
        report.resolve(by=by, note=self._text(note, 2000, required=False))
        return Done(report.id, self.app.record(report))
