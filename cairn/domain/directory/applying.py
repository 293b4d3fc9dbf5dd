"""Applying to join the directory: the web form's account and draft, and the application."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from cairn.domain.accounts.email_check import EmailCheck
from cairn.domain.accounts.passwords import check_password_rules
from cairn.domain.accounts.roles import Role
from cairn.domain.availability import read_availability, require_slots
from cairn.domain.directory.command_base import CommandsBase
from cairn.domain.directory.draft import ApplicationDraft
from cairn.domain.directory.email_index import (
    claim_email,
    provider_for_email,
)
from cairn.domain.directory.fields import DEFAULT_DESCRIPTION_LANGUAGE
from cairn.domain.directory.provider import Provider
from cairn.domain.errors import DomainError, DuplicateEmail, NotFound, StaleState
from cairn.domain.outcome import Done
from cairn.domain.text import joined
from cairn.domain.validation import Invalid, _, normalise_email

if TYPE_CHECKING:
    from cairn.domain.accounts.account import Account

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


class ApplyingCommands(CommandsBase):
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
        if "availability" in listing:
            listing["availability"] = require_slots(listing["availability"])
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
        return provider_for_email(self.app, email)

    def start_application(
        self,
        *,
        email: str,
        contact_name: str,
        password: str,
        answers: Mapping[str, Any],
        language: str = "en",
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
            email, contact_name, [Role.PROVIDER], password, language
        )
        draft = ApplicationDraft(account_id=account.id, answers={**answers, "email": email})
        # A link to the address, to confirm it is theirs (sent by the mail outbox).
        check = EmailCheck(account_id=account.id, language=language)
        position = self.accounts.save_new(account, draft, check)
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
            description_language=answers.get("description_language")
            or DEFAULT_DESCRIPTION_LANGUAGE,
            phone=answers.get("phone") or None,
            website=answers.get("website") or None,
            areas_covered=tuple(answers.get("areas_covered") or ()),
            # A draft saved before slots holds days and times apart: read as slots.
            availability=read_availability(answers.get("availability") or ()),
            sds_options=tuple(answers.get("sds_options") or ()),
            languages=tuple(answers.get("languages") or ()),
            price_per_hour=Decimal(price) if price else None,
            # Their signature on the standards: today, and the version they read.
            consented_on=self.today(),
            standards_version=answers.get("standards_version"),
        )
        draft.submit(provider.id)
        return Done(provider.id, self._record_new(provider, draft))

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
