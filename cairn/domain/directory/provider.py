"""The Provider aggregate: a micro-provider's journey from application to listing.

Every decision is one of its events, with who made it, and why where a person would ask.
What the public may see is decided by `public_listing()` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cairn.domain.directory import checks
from cairn.domain.directory import provider_events as ev
from cairn.domain.directory.checks import HIDDEN_FOR_INSURANCE, IMPORT_ACTOR
from cairn.domain.directory.evidence import Upload
from cairn.domain.directory.fields import (
    DEFAULT_DESCRIPTION_LANGUAGE,
    LISTING_FIELDS,
    listing_diff,
    set_listing,
    with_own_district,
)
from cairn.domain.directory.intake import check_intake
from cairn.domain.directory.lifecycle import (
    STATUS_LABELS,
    TRANSITIONS,
    Action,
    Status,
    allows,
    leads_to,
    required_reason,
)
from cairn.domain.directory.listing import PublicListing, public_listing_of, public_state
from cairn.domain.directory.standards import CURRENT_STANDARDS
from cairn.domain.errors import DomainError, InvalidTransition
from cairn.domain.text import Text, _, joined


class Provider(Aggregate):
    """A micro-provider. Every decision about it is one of its events."""

    # Its events, declared with their fields in provider_events; eventsourcing subclasses each
    # here, so its topic is `…provider:Provider.<Name>` as before.
    Applied = ev.Applied
    ApplicationUpdated = ev.ApplicationUpdated
    ReviewStarted = ev.ReviewStarted
    InformationRequested = ev.InformationRequested
    InformationProvided = ev.InformationProvided
    Approved = ev.Approved
    Declined = ev.Declined
    Suspended = ev.Suspended
    Reinstated = ev.Reinstated
    Withdrawn = ev.Withdrawn
    Removed = ev.Removed
    PvgRecorded = ev.PvgRecorded
    InsuranceRecorded = ev.InsuranceRecorded
    TrainingRecorded = ev.TrainingRecorded
    StandardsSigned = ev.StandardsSigned
    ListingHidden = ev.ListingHidden
    ListingShown = ev.ListingShown
    ListingEditProposed = ev.ListingEditProposed
    ListingEditApproved = ev.ListingEditApproved
    ListingEditRejected = ev.ListingEditRejected
    ListingConfirmed = ev.ListingConfirmed
    AccountLinked = ev.AccountLinked
    IntakeSet = ev.IntakeSet
    IntakeLapsed = ev.IntakeLapsed

    @event(Applied)
    def __init__(
        self,
        name: str,
        contact_name: str,
        email: str,
        postcode: str,
        services: Iterable[str],
        account_id: UUID | None = None,
        description: str = "",
        description_language: str = DEFAULT_DESCRIPTION_LANGUAGE,
        phone: str | None = None,
        website: str | None = None,
        areas_covered: Iterable[str] = (),
        availability: Iterable[str] = (),
        sds_options: Iterable[str] = (),
        languages: Iterable[str] = (),
        price_per_hour: Decimal | None = None,
        consented_on: date | None = None,
        standards_version: int | None = None,
    ) -> None:
        self.name = name
        self.contact_name = contact_name
        self.email = email
        self.postcode = postcode
        self.services: tuple[str, ...] = tuple(services)
        self.account_id = account_id
        self.description = description
        self.description_language = description_language
        self.phone = phone
        self.website = website
        self.areas_covered: tuple[str, ...] = with_own_district(postcode, areas_covered)
        self.availability: tuple[str, ...] = tuple(availability)
        self.sds_options: tuple[str, ...] = tuple(sds_options)
        self.languages: tuple[str, ...] = tuple(languages)
        self.price_per_hour = price_per_hour
        self.consented_on = consented_on
        self.status = Status.APPLIED
        self.decided_by: UUID | None = None
        self.reason: str | None = None
        self.question: str | None = None
        self.answer: str | None = None
        self.approved_on: date | None = None
        # Checks
        self.pvg_checked_on: date | None = None
        self.pvg_renewal_due: date | None = None
        self.pvg_membership_number = ""
        self.insurance_expires_on: date | None = None
        self.insurer = ""
        self.insurance_policy_number = ""
        self.insurance_cover: Decimal | None = None
        self.training: dict[str, date | None] = {}  # course key -> the day completed
        self.training_expires: dict[str, date | None] = {}
        # The evidence uploaded with the checks, in order: (evidence id, check, course key).
        self.evidence: tuple[tuple[UUID, str, str], ...] = ()
        # Signed in the application (consented_on), or on paper as the CIC records.
        self.standards_signed_on: date | None = consented_on
        self.standards_version: int | None = standards_version if consented_on else None
        self.last_checked_on: date | None = None
        # Keeping the listing true
        self.hidden_reason: str | None = None
        self.pending_edit: dict[str, Any] | None = None
        self.last_confirmed_on: date | None = None
        # Taking on new people? (None: not said)
        self.intake: str | None = None
        self.intake_until: date | None = None
        self.intake_on: date | None = None
        # When what the public sees last changed: set as each later event is applied
        # (provider_events.ProviderEvent); None while the provider has never been listed.
        self.listing_changed_at: datetime | None = None

    # -- the application ---------------------------------------------------------------------

    def update_application(self, by: UUID, changes: Mapping[str, Any]) -> None:
        """The applicant corrects their application before a decision: no review needed."""
        self._require(Action.UPDATE_APPLICATION)
        after, before = listing_diff(self, changes)
        if after:
            self._application_updated(by=by, changes=after, before=before)

    @event(ApplicationUpdated)
    def _application_updated(
        self, by: UUID, changes: dict[str, Any], before: dict[str, Any]
    ) -> None:
        set_listing(self, changes)

    def start_review(self, by: UUID) -> None:
        self._require(Action.START_REVIEW)
        self._review_started(by=by)

    @event(ReviewStarted)
    def _review_started(self, by: UUID) -> None:
        self.status = leads_to(Action.START_REVIEW)

    def request_information(self, by: UUID, question: str) -> None:
        self._require(Action.REQUEST_INFO)
        if not question.strip():
            raise InvalidTransition(_("Say what information you need from the applicant."))
        self._information_requested(by=by, question=question.strip())

    @event(InformationRequested)
    def _information_requested(self, by: UUID, question: str) -> None:
        self.status = leads_to(Action.REQUEST_INFO)
        self.question = question
        self.answer = None

    def provide_information(self, by: UUID, answer: str) -> None:
        self._require(Action.PROVIDE_INFO)
        if not answer.strip():
            raise InvalidTransition(_("Write your answer to the question."))
        self._information_provided(by=by, answer=answer.strip())

    @event(InformationProvided)
    def _information_provided(self, by: UUID, answer: str) -> None:
        self.status = leads_to(Action.PROVIDE_INFO)
        self.answer = answer

    def approve(self, by: UUID, today: date, on: date | None = None) -> None:
        """`on` is the day of the decision when it was made elsewhere (an imported spreadsheet)."""
        self._require(Action.APPROVE)
        self._require_current_checks(today, Action.APPROVE)
        self._approved(by=by, on=on or today)

    @event(Approved)
    def _approved(self, by: UUID, on: date | None = None) -> None:
        self.status = leads_to(Action.APPROVE)
        self.decided_by = by
        self.approved_on = on
        self.reason = None

    def decline(self, by: UUID, reason: str) -> None:
        self._require(Action.DECLINE)
        self._declined(by=by, reason=required_reason(reason, _("declining this application")))

    @event(Declined)
    def _declined(self, by: UUID, reason: str) -> None:
        self.status = leads_to(Action.DECLINE)
        self.decided_by = by
        self.reason = reason

    # -- after approval ----------------------------------------------------------------------

    def suspend(self, by: UUID, reason: str) -> None:
        self._require(Action.SUSPEND)
        self._suspended(by=by, reason=required_reason(reason, _("suspending this provider")))

    @event(Suspended)
    def _suspended(self, by: UUID, reason: str) -> None:
        self.status = leads_to(Action.SUSPEND)
        self.decided_by = by
        self.reason = reason

    def reinstate(self, by: UUID, today: date, note: str = "") -> None:
        self._require(Action.REINSTATE)
        self._require_current_checks(today, Action.REINSTATE)
        self._reinstated(by=by, note=note.strip())

    @event(Reinstated)
    def _reinstated(self, by: UUID, note: str) -> None:
        self.status = leads_to(Action.REINSTATE)
        self.decided_by = by
        self.reason = None

    def withdraw(self, by: UUID, reason: str = "") -> None:
        """The provider leaves the directory (or takes back an application) of their own accord."""
        self._require(Action.WITHDRAW)
        self._withdrawn(by=by, reason=reason.strip())

    @event(Withdrawn)
    def _withdrawn(self, by: UUID, reason: str) -> None:
        self.status = leads_to(Action.WITHDRAW)
        self.reason = reason or None
        self.pending_edit = None

    def remove(self, by: UUID, reason: str) -> None:
        self._require(Action.REMOVE)
        self._removed(by=by, reason=required_reason(reason, _("removing this provider")))

    @event(Removed)
    def _removed(self, by: UUID, reason: str) -> None:
        self.status = leads_to(Action.REMOVE)
        self.decided_by = by
        self.reason = reason
        self.pending_edit = None

    def set_intake(self, by: UUID, status: str, until: date | None, today: date) -> None:
        if self.status != Status.APPROVED:
            raise InvalidTransition(_("Only a listing on the directory can say this."))
        intake, until = check_intake(status, until, today)
        self._intake_set(by=by, intake=intake.value, until=until, on=today)

    @event(IntakeSet)
    def _intake_set(self, by: UUID, intake: str, until: date | None, on: date) -> None:
        self.intake, self.intake_until, self.intake_on = intake, until, on

    def lapse_intake(self, today: date) -> bool:
        """Clear "full" once its day has come; True if it did."""
        if self.intake != "full" or self.intake_until is None or self.intake_until > today:
            return False
        self._intake_lapsed(on=today)
        return True

    @event(IntakeLapsed)
    def _intake_lapsed(self, on: date) -> None:
        self.intake, self.intake_until, self.intake_on = None, None, None

    def link_account(self, account_id: UUID) -> None:
        if self.account_id is not None:
            raise InvalidTransition(_("This listing already has an account. Sign in instead."))
        self._account_linked(account_id=account_id)

    @event(AccountLinked)
    def _account_linked(self, account_id: UUID) -> None:
        self.account_id = account_id

    # -- checks ------------------------------------------------------------------------------

    def record_pvg(
        self,
        by: UUID,
        checked_on: date,
        today: date,
        membership_number: str = "",
        renewal_due: date | None = None,
        evidence: Upload | None = None,
        evidence_id: UUID | None = None,
    ) -> None:
        """`renewal_due` left out: five years after the check (the membership's term)."""
        self._require(Action.RECORD_CHECK)
        due = checks.check_pvg(checked_on, renewal_due, today)
        number = checks.normalise_pvg_number(membership_number) if membership_number else ""
        self._pvg_recorded(
            by=by,
            checked_on=checked_on,
            on=today,
            membership_number=number,
            renewal_due=due,
            **_evidence(evidence, evidence_id),
        )

    @event(PvgRecorded)
    def _pvg_recorded(
        self,
        by: UUID,
        checked_on: date,
        on: date,
        membership_number: str = "",
        renewal_due: date | None = None,
        evidence_id: UUID | None = None,
        evidence_type: str = "",
    ) -> None:
        self.pvg_checked_on = checked_on
        self.pvg_renewal_due = checks.pvg_renewal_due(checked_on, renewal_due)
        self.pvg_membership_number = membership_number
        self._evidence_kept(evidence_id, "pvg")
        self._checked(by, on)

    def record_insurance(
        self,
        by: UUID,
        expires_on: date,
        today: date,
        insurer: str = "",
        policy_number: str = "",
        cover: Decimal | None = None,
        evidence: Upload | None = None,
        evidence_id: UUID | None = None,
    ) -> None:
        """A renewal shows a listing hidden for lapsed insurance again; a lapsed date hides it.
        A policy already expired may be recorded (the record is true); the page warns."""
        self._require(Action.RECORD_CHECK)
        if cover is not None and cover <= 0:
            raise DomainError(_("Enter a cover amount more than £0"))
        self._insurance_recorded(
            by=by,
            expires_on=expires_on,
            on=today,
            insurer=insurer.strip(),
            policy_number=policy_number.strip(),
            cover=cover,
            **_evidence(evidence, evidence_id),
        )
        if self.hidden_reason == HIDDEN_FOR_INSURANCE and expires_on >= today:
            self._listing_shown(on=today)
        else:
            self.hide_if_insurance_expired(today)

    @event(InsuranceRecorded)
    def _insurance_recorded(
        self,
        by: UUID,
        expires_on: date,
        on: date,
        insurer: str = "",
        policy_number: str = "",
        cover: Decimal | None = None,
        evidence_id: UUID | None = None,
        evidence_type: str = "",
    ) -> None:
        self.insurance_expires_on = expires_on
        self.insurer = insurer
        self.insurance_policy_number = policy_number
        self.insurance_cover = cover
        self._evidence_kept(evidence_id, "insurance")
        self._checked(by, on)

    def record_training(
        self,
        by: UUID,
        course: str,
        completed_on: date | None,
        today: date,
        expires_on: date | None = None,
        evidence: Upload | None = None,
        evidence_id: UUID | None = None,
    ) -> None:
        """`course` is a key (cairn.domain.directory.training.course_key makes one)."""
        self._require(Action.RECORD_CHECK)
        if completed_on is not None and completed_on > today:
            raise DomainError(_("The training date cannot be in the future."))
        if expires_on is not None and completed_on is not None and expires_on <= completed_on:
            raise DomainError(
                _("The training expiry date must be after the date it was completed.")
            )
        self._training_recorded(
            by=by,
            course=course,
            completed_on=completed_on,
            on=today,
            expires_on=expires_on,
            **_evidence(evidence, evidence_id),
        )

    @event(TrainingRecorded)
    def _training_recorded(
        self,
        by: UUID,
        course: str,
        completed_on: date | None,
        on: date,
        expires_on: date | None = None,
        evidence_id: UUID | None = None,
        evidence_type: str = "",
    ) -> None:
        self.training = {**self.training, course: completed_on}
        self.training_expires = {**self.training_expires, course: expires_on}
        self._evidence_kept(evidence_id, "training", course)
        self._checked(by, on)

    def record_standards_signed(
        self, by: UUID, signed_on: date, today: date, version: int | None = None
    ) -> None:
        """The CIC records a signature given on paper; `version` left out: the current one."""
        self._require(Action.RECORD_CHECK)
        if signed_on > today:
            raise DomainError(_("The date the agreement was signed cannot be in the future."))
        self._standards_signed(
            by=by,
            signed_on=signed_on,
            on=today,
            standards_version=version or CURRENT_STANDARDS.number,
        )

    @event(StandardsSigned)
    def _standards_signed(
        self, by: UUID, signed_on: date, on: date, standards_version: int | None = None
    ) -> None:
        self.standards_signed_on = signed_on
        self.standards_version = standards_version
        self._checked(by, on)

    def _evidence_kept(self, evidence_id: UUID | None, check: str, course: str = "") -> None:
        if evidence_id is not None:
            self.evidence = (*self.evidence, (evidence_id, check, course))

    def _checked(self, by: UUID, on: date) -> None:
        """The last day the CIC recorded a check. A check copied from an imported spreadsheet
        was made elsewhere, on a day the sheet does not give, so it is not one: the approval
        day the sheet gives stands for it."""
        if by == IMPORT_ACTOR:
            return
        if self.last_checked_on is None or on > self.last_checked_on:
            self.last_checked_on = on

    def pvg_expires_on(self) -> date | None:
        """When the PVG membership must be renewed."""
        return self.pvg_renewal_due

    def check_problems(self, today: date) -> list[Text]:
        """What stops approval today, in plain English; empty when the checks are current."""
        return checks.check_problems(self.pvg_renewal_due, self.insurance_expires_on, today)

    def renewals_due(self, today: date) -> list[str]:
        """Checks that run out within 30 days (or already have)."""
        return checks.renewals_due(self.pvg_renewal_due, self.insurance_expires_on, today)

    def _require_current_checks(self, today: date, action: Action) -> None:
        problems = self.check_problems(today)
        if problems:
            raise InvalidTransition(
                _("You cannot {action} {name} yet: {problems}. Record the checks first.").format(
                    action=TRANSITIONS[action].verb, name=self.name, problems=joined("; ", problems)
                )
            )

    # -- hidden while insurance has lapsed ---------------------------------------------------

    def hide_if_insurance_expired(self, today: date) -> bool:
        """Hide a live listing whose insurance has run out. True if it did."""
        expired = self.insurance_expires_on is not None and self.insurance_expires_on < today
        if self.status == Status.APPROVED and self.hidden_reason is None and expired:
            self._listing_hidden(reason=HIDDEN_FOR_INSURANCE, on=today)
            return True
        return False

    @event(ListingHidden)
    def _listing_hidden(self, reason: str, on: date) -> None:
        self.hidden_reason = reason

    @event(ListingShown)
    def _listing_shown(self, on: date) -> None:
        self.hidden_reason = None

    # -- keeping the listing true ------------------------------------------------------------

    def propose_edit(self, by: UUID, changes: Mapping[str, Any]) -> None:
        """An approved provider's changes wait for the CIC; the public sees the old listing.

        Changes sent while others wait amend them: what waits is then everything these
        `changes` make different from the live listing (the form starts on what waits, so
        nothing sent before is dropped unless the provider puts it back)."""
        self._require(Action.PROPOSE_EDIT)
        after, before = listing_diff(self, changes)
        if after == self.pending_edit:
            raise DomainError(_("These are the changes already waiting for review."))
        if not after:
            raise DomainError(_("Nothing has changed. Change a detail, then send it for review."))
        self._edit_proposed(
            by=by, changes=after, before=before, amends=self.pending_edit is not None
        )

    @event(ListingEditProposed)
    def _edit_proposed(
        self, by: UUID, changes: dict[str, Any], before: dict[str, Any], amends: bool = False
    ) -> None:
        self.pending_edit = changes

    def approve_edit(self, by: UUID) -> None:
        if self.pending_edit is None:
            raise InvalidTransition(_("There is no change waiting for review."))
        after, before = listing_diff(self, self.pending_edit)
        self._edit_approved(by=by, changes=after, before=before)

    @event(ListingEditApproved)
    def _edit_approved(self, by: UUID, changes: dict[str, Any], before: dict[str, Any]) -> None:
        set_listing(self, changes)
        self.pending_edit = None

    def reject_edit(self, by: UUID, reason: str) -> None:
        if self.pending_edit is None:
            raise InvalidTransition(_("There is no change waiting for review."))
        self._edit_rejected(by=by, reason=required_reason(reason, _("turning down this change")))

    @event(ListingEditRejected)
    def _edit_rejected(self, by: UUID, reason: str) -> None:
        self.pending_edit = None

    def confirm_listing(self, by: UUID, today: date) -> None:
        self._require(Action.CONFIRM_LISTING)
        self._listing_confirmed(by=by, on=today)

    @event(ListingConfirmed)
    def _listing_confirmed(self, by: UUID, on: date) -> None:
        self.last_confirmed_on = on

    def confirmation_due(self, today: date) -> bool:
        return self.status == Status.APPROVED and checks.confirmation_due(
            self.last_confirmed_on, self.approved_on, today
        )

    # -- what the public sees ----------------------------------------------------------------

    def public_listing(self) -> PublicListing | None:
        """The listing the public may see now, or None if the provider is not listed."""
        return public_listing_of(self)

    def public_state(self) -> tuple[object, ...] | None:
        """What the public listing is made from (equal states, equal listings), or None."""
        return public_state(self)

    def listing_values(self) -> dict[str, Any]:
        """The current listing fields, as a provider's edit form starts from them."""
        return {field: getattr(self, field) for field in LISTING_FIELDS}

    # -- helpers -----------------------------------------------------------------------------

    def _require(self, action: Action) -> None:
        if not allows(self.status, action):
            raise InvalidTransition(
                _("You cannot {action} {name}: it is {status}.").format(
                    action=TRANSITIONS[action].verb,
                    name=self.name,
                    status=STATUS_LABELS[self.status].lower(),
                )
            )


def _evidence(upload: Upload | None, evidence_id: UUID | None) -> dict[str, Any]:
    """The event fields for evidence: its id (its bytes are stored apart, sealed) and type."""
    if upload is None or evidence_id is None:
        return {"evidence_id": None, "evidence_type": ""}
    return {"evidence_id": evidence_id, "evidence_type": upload.media_type}
