"""Commands on micro-providers: the only way the directory changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from cairn.domain.accounts.commands import AccountCommands
from cairn.domain.accounts.passwords import check_password_rules
from cairn.domain.accounts.roles import Role
from cairn.domain.clock import today as today_of
from cairn.domain.directory.draft import ApplicationDraft
from cairn.domain.directory.email_index import ProviderEmailClaim, claim_email, claim_id_for
from cairn.domain.directory.provider import Provider, provider_id_for
from cairn.domain.directory.report import DETAILS_MAX_LENGTH, ProblemCategory, ProblemReport
from cairn.domain.errors import DomainError, DuplicateEmail, InvalidTransition, NotFound, StaleState
from cairn.domain.outcome import Done
from cairn.domain.text import joined
from cairn.domain.validation import Invalid, _, clean_text, normalise_email

if TYPE_CHECKING:
    from cairn.domain.accounts.account import Account
    from cairn.domain.store import Store

# What an applicant must have answered before the application can be sent.
REQUIRED_ANSWERS = {
    "name": _("the business name"),
    "contact_name": _("your name"),
    "email": _("your email address"),
    "postcode": _("your postcode"),
    "services": _("the services you offer"),
    "areas_covered": _("the areas you cover"),
    "description": _("a description of your service"),
    "consent": _("your agreement to the CIC's standards"),
}


def duplicate_provider(email: str) -> DuplicateEmail:
    return DuplicateEmail(
        _("A provider with the email {email} is already in the directory.").format(email=email)
    )


class DirectoryCommands:
    def __init__(self, app: Store) -> None:
        self.app = app
        self.accounts = AccountCommands(app)  # stateless: the same store's account rules

    def today(self) -> date:
        return today_of(self.app.clock)

    # -- applying ----------------------------------------------------------------------------

    def apply(
        self,
        *,
        name: str,
        contact_name: str,
        email: str,
        postcode: str,
        services: Iterable[str],
        account_id: UUID | None = None,
        **listing: Any,
    ) -> Done:
        """A micro-provider applies to join. Values arrive already validated by the form.

        `listing` takes the optional listing fields of `Provider.__init__`."""
        provider = Provider(
            name=name,
            contact_name=contact_name,
            email=email,
            postcode=postcode,
            services=tuple(services),
            account_id=account_id,
            **listing,
        )
        return Done(provider.id, self._record_new(provider))

    def _record_new(self, provider: Provider, *others: Any) -> int:
        """Save a new provider with its email's claim, so an email is never listed twice."""
        if self.provider_for_email(provider.email) is not None:
            raise duplicate_provider(provider.email)
        try:
            return self.app.record(provider, claim_email(provider.email, provider.id), *others)
        except StaleState as error:
            # The claim collided: someone applied with this email a moment ago.
            raise duplicate_provider(provider.email) from error

    def provider_for_email(self, email: str) -> UUID | None:
        """The provider with this email: through its claim, or (for a provider from before
        random ids) the id that was derived from the email."""
        claim = claim_id_for(email)
        if self.app.exists(claim):
            return self.app.load(ProviderEmailClaim, claim).provider_id
        legacy = provider_id_for(email)
        return legacy if self.app.exists(legacy) else None

    def start_application(
        self, *, email: str, contact_name: str, password: str, answers: Mapping[str, Any]
    ) -> Done:
        """The first step of the web form: the applicant's account and a draft, saved together."""
        try:
            email = normalise_email(email)
        except Invalid as error:
            raise DomainError(error.message) from error
        # Every rule about the answers first, and only then whether the email is known: a
        # mistake must earn the same message whoever owns the email.
        if not contact_name.strip():
            raise DomainError(_("Enter a display name."))
        check_password_rules(password, email=email)
        if self.provider_for_email(email) is not None:
            raise duplicate_provider(email)
        account: Account = self.accounts.new_account(
            email, contact_name, [Role.PROVIDER], password
        )
        draft = ApplicationDraft(account_id=account.id, answers={**answers, "email": email})
        position = self.accounts.save_new(account, draft)
        return Done(account.id, position)

    def draft_for(self, account_id: UUID) -> ApplicationDraft | None:
        draft_id = ApplicationDraft.create_id(account_id)
        if not self.app.exists(draft_id):
            return None
        return self.app.load(ApplicationDraft, draft_id)

    def save_draft(self, account_id: UUID, step: str, answers: Mapping[str, Any]) -> Done:
        draft = self.draft_for(account_id)
        if draft is None:
            draft = ApplicationDraft(account_id=account_id, answers={})
        draft.save_answers(step, dict(answers))
        return Done(draft.id, self.app.record(draft))

    def submit_application(self, account_id: UUID) -> Done:
        """Send a finished draft: the provider is created (and enters the queue) atomically."""
        draft = self.draft_for(account_id)
        if draft is None:
            raise NotFound(_("We could not find your application. Start again."))
        answers = draft.answers
        missing = [label for key, label in REQUIRED_ANSWERS.items() if not answers.get(key)]
        if missing:
            raise DomainError(
                _("Before you send your application, tell us {missing}.").format(
                    missing=joined(", ", missing)
                )
            )
        price = answers.get("price_per_hour")
        provider = Provider(
            name=answers["name"],
            contact_name=answers["contact_name"],
            email=answers["email"],
            postcode=answers["postcode"],
            services=tuple(answers["services"]),
            account_id=account_id,
            description=answers["description"],
            phone=answers.get("phone") or None,
            website=answers.get("website") or None,
            areas_covered=tuple(answers.get("areas_covered") or ()),
            availability=tuple(answers.get("availability") or ()),
            sds_options=tuple(answers.get("sds_options") or ()),
            languages=tuple(answers.get("languages") or ()),
            price_per_hour=Decimal(price) if price else None,
            consented_on=self.today(),
        )
        draft.submit(provider.id)
        return Done(provider.id, self._record_new(provider, draft))

    def provider_of_account(self, account_id: UUID) -> UUID | None:
        draft = self.draft_for(account_id)
        return draft.provider_id if draft else None

    # -- review and decisions ----------------------------------------------------------------

    def _act(
        self, provider_id: UUID, expected_version: int | None, action: Callable[[Provider], Any]
    ) -> Done:
        provider = self.app.load(Provider, provider_id, expected_version)
        action(provider)
        return Done(provider.id, self.app.record(provider))

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

    def update_application(
        self,
        provider_id: UUID,
        *,
        by: UUID,
        changes: Mapping[str, Any],
        expected_version: int | None = None,
    ) -> Done:
        return self._act(
            provider_id, expected_version, lambda p: p.update_application(by=by, changes=changes)
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

    # -- checks ------------------------------------------------------------------------------

    def record_pvg(
        self, provider_id: UUID, *, by: UUID, checked_on: date, expected_version: int | None = None
    ) -> Done:
        today = self.today()
        return self._act(
            provider_id,
            expected_version,
            lambda p: p.record_pvg(by=by, checked_on=checked_on, today=today),
        )

    def record_insurance(
        self, provider_id: UUID, *, by: UUID, expires_on: date, expected_version: int | None = None
    ) -> Done:
        today = self.today()
        return self._act(
            provider_id,
            expected_version,
            lambda p: p.record_insurance(by=by, expires_on=expires_on, today=today),
        )

    def record_training(
        self,
        provider_id: UUID,
        *,
        by: UUID,
        course: str,
        completed_on: date | None,
        expected_version: int | None = None,
    ) -> Done:
        today = self.today()
        return self._act(
            provider_id,
            expected_version,
            lambda p: p.record_training(
                by=by, course=course, completed_on=completed_on, today=today
            ),
        )

    def record_standards_signed(
        self, provider_id: UUID, *, by: UUID, signed_on: date, expected_version: int | None = None
    ) -> Done:
        today = self.today()
        return self._act(
            provider_id,
            expected_version,
            lambda p: p.record_standards_signed(by=by, signed_on=signed_on, today=today),
        )

    def hide_expired_listings(self, today: date, candidates: Iterable[UUID]) -> list[UUID]:
        """Hide every live listing among `candidates` whose insurance has lapsed; each an event.

        Candidates come from a read model, which may be behind: each aggregate decides for
        itself, so a stale candidate list can only mean a later sweep, never a wrong hide.
        Returns the providers hidden now."""
        hidden = []
        for provider_id in candidates:
            for _attempt in range(3):
                provider = self.app.load(Provider, provider_id)
                if not provider.hide_if_insurance_expired(today):
                    break
                try:
                    self.app.record(provider)
                except StaleState:
                    continue  # someone changed it meanwhile: look again
                hidden.append(provider_id)
                break
        return hidden

    # -- keeping the listing true ------------------------------------------------------------

    def propose_edit(
        self,
        provider_id: UUID,
        *,
        by: UUID,
        changes: Mapping[str, Any],
        expected_version: int | None = None,
    ) -> Done:
        return self._act(
            provider_id, expected_version, lambda p: p.propose_edit(by=by, changes=changes)
        )

    def edit_listing(
        self,
        provider_id: UUID,
        *,
        by: UUID,
        changes: Mapping[str, Any],
        expected_version: int | None = None,
    ) -> Done:
        """A provider changes their details: straight into an open application, or to review."""

        def act(provider: Provider) -> None:
            if provider.status in ("applied", "under-review", "info-requested"):
                provider.update_application(by=by, changes=changes)
            else:
                provider.propose_edit(by=by, changes=changes)

        return self._act(provider_id, expected_version, act)

    def approve_edit(
        self, provider_id: UUID, *, by: UUID, expected_version: int | None = None
    ) -> Done:
        return self._act(provider_id, expected_version, lambda p: p.approve_edit(by=by))

    def reject_edit(
        self, provider_id: UUID, *, by: UUID, reason: str, expected_version: int | None = None
    ) -> Done:
        reason = self._text(reason, 2000, required=False)
        return self._act(
            provider_id, expected_version, lambda p: p.reject_edit(by=by, reason=reason)
        )

    def confirm_listing(
        self, provider_id: UUID, *, by: UUID, expected_version: int | None = None
    ) -> Done:
        today = self.today()
        return self._act(
            provider_id, expected_version, lambda p: p.confirm_listing(by=by, today=today)
        )

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

    # -- time travel -------------------------------------------------------------------------

    def version_on(self, provider_id: UUID, day: date) -> int | None:
        """The provider's version at the end of `day` (UTC), or None if it did not exist yet."""
        end_of_day = datetime.combine(day, time.max, tzinfo=UTC)
        version = None
        for stored in self.app.repository.event_store.get(provider_id):
            timestamp: datetime = getattr(stored, "timestamp")  # noqa: B009 - every Aggregate.Event has one
            if timestamp > end_of_day:
                break
            version = stored.originator_version
        return version

    def provider_on(self, provider_id: UUID, day: date) -> Provider | None:
        """The provider as it stood at the end of `day`."""
        version = self.version_on(provider_id, day)
        if version is None:
            return None
        provider: Any = self.app.repository.get(provider_id, version=version)
        if not isinstance(provider, Provider):
            raise NotFound(_("We could not find that record."))
        return provider

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _text(text: str, max_length: int, *, required: bool = True) -> str:
        """Free text from a person: tidied and length-checked; an empty one may be allowed."""
        if not required and not text.strip():
            return ""
        try:
            return clean_text(text, max_length=max_length, multiline=True)
        except Invalid as error:
            raise InvalidTransition(error.message) from None
