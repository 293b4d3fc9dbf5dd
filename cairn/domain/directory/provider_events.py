"""What a Provider's events hold, declared once with their types.

`Provider` names each of these as a class attribute (`Provider.Applied`, …) and eventsourcing
makes a subclass of it there, whose topic is `cairn.domain.directory.provider:Provider.Applied`
as it always was; these classes themselves are never stored. Readers of the log (the read
models, the search index) annotate their handlers with these classes, so a renamed or retyped
field shows in mypy.

A default here is for events stored before the field existed: an old event read back lacks
the attribute, and reading it finds the class's default instead. It is the one place such a
default is kept (the aggregate's method defaults are what a new command leaves out)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from cairn.domain.availability import read_availability
from cairn.domain.directory.fields import DEFAULT_DESCRIPTION_LANGUAGE
from cairn.domain.personal import personal


class ProviderEvent(Aggregate.Event):
    """A provider's event after its application. Applying it notes when what the public sees
    last changed (`listing_changed_at`, the listing's `updated_at` and the API's
    `last_modified`): only an event after which the public listing differs from the one before
    counts, so a sync client's `modified_after` finds exactly the listings that changed, and
    an account linked or an edit proposed moves nothing. Derived on every load, never stored.
    `public_state` stands in for the listing here: comparing it costs a fraction as much."""

    def mutate(self, aggregate: Any) -> Any:
        before = aggregate.public_state()
        mutated = super().mutate(aggregate)
        assert mutated is not None  # only the Created event starts from no aggregate
        if mutated.public_state() != before:
            mutated.listing_changed_at = self.timestamp
        return mutated


class Applied(Aggregate.Created):
    # 2: availability as day-and-time slots; version 1 held days and times apart.
    class_version = 2

    name: str
    contact_name: str
    email: str
    postcode: str
    services: Sequence[str]
    account_id: UUID | None = None
    description: str = ""
    # Before this was asked, descriptions were English: old events load with that.
    description_language: str = DEFAULT_DESCRIPTION_LANGUAGE
    phone: str | None = None
    website: str | None = None
    areas_covered: Sequence[str] = ()
    availability: Sequence[str] = ()
    sds_options: Sequence[str] = ()
    languages: Sequence[str] = ()
    price_per_hour: Decimal | None = None
    # The applicant's signature on the CIC's standards: the day, and the version they read
    # (None: agreed before the standards had numbers, or an application not made online).
    consented_on: date | None = None
    standards_version: int | None = None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Every listed day at every listed time."""
        if "availability" in state:
            state["availability"] = list(read_availability(state["availability"]))


class ListingChange(ProviderEvent):
    """Listing fields that change, new (`changes`) and old (`before`), in JSON-friendly form."""

    # 2: availability as day-and-time slots, as in Applied.
    class_version = 2

    by: UUID
    changes: dict[str, Any]
    before: dict[str, Any]

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        for side in ("changes", "before"):
            values = state.get(side)
            if isinstance(values, dict) and values.get("availability") is not None:
                values["availability"] = list(read_availability(values["availability"]))


class ApplicationUpdated(ListingChange):
    pass


class ListingEditProposed(ListingChange):
    # True when it takes the place of changes already waiting for review (they are not lost
    # silently: the history says so, and `changes` holds everything now waiting).
    amends: bool = False


class ListingEditApproved(ListingChange):
    pass


class ReviewStarted(ProviderEvent):
    by: UUID


class InformationRequested(ProviderEvent):
    by: UUID
    question: str


class InformationProvided(ProviderEvent):
    by: UUID
    answer: str


class Approved(ProviderEvent):
    by: UUID
    on: date | None = None  # the day of the decision; older events have only their timestamp


class Declined(ProviderEvent):
    by: UUID
    reason: str


class Suspended(ProviderEvent):
    by: UUID
    reason: str


class Reinstated(ProviderEvent):
    by: UUID
    note: str


class Withdrawn(ProviderEvent):
    by: UUID
    reason: str  # "" when the provider gave none


class Removed(ProviderEvent):
    by: UUID
    reason: str


class PvgRecorded(ProviderEvent):
    by: UUID
    checked_on: date
    on: date
    # Recorded before the number and renewal date were asked: "" and None, the renewal
    # then falling five years after the check (checks.pvg_renewal_due).
    membership_number: str = ""
    renewal_due: date | None = None
    # The evidence uploaded with it (cairn.domain.directory.evidence): the id of its sealed
    # bytes and the type they were found to be; None and "" without one.
    evidence_id: UUID | None = None
    evidence_type: str = ""


class InsuranceRecorded(ProviderEvent):
    by: UUID
    expires_on: date
    on: date
    # Recorded before the policy's details were asked: "" and None.
    insurer: str = ""
    policy_number: str = ""
    cover: Decimal | None = None
    # The evidence uploaded with it (cairn.domain.directory.evidence): the id of its sealed
    # bytes and the type they were found to be; None and "" without one.
    evidence_id: UUID | None = None
    evidence_type: str = ""


class TrainingRecorded(ProviderEvent):
    by: UUID
    course: str  # a key of training.COURSES, `other:<name>`, or a key from before the list
    completed_on: date | None
    on: date
    expires_on: date | None = None
    # The evidence uploaded with it (cairn.domain.directory.evidence): the id of its sealed
    # bytes and the type they were found to be; None and "" without one.
    evidence_id: UUID | None = None
    evidence_type: str = ""


class StandardsSigned(ProviderEvent):
    by: UUID
    signed_on: date
    on: date
    # The version of the standards signed (standards.CURRENT_STANDARDS); None: signed before
    # the standards had numbers.
    standards_version: int | None = None


class ListingHidden(ProviderEvent):
    reason: str
    on: date


class ListingShown(ProviderEvent):
    on: date


class ListingEditRejected(ProviderEvent):
    by: UUID
    reason: str


class ListingConfirmed(ProviderEvent):
    by: UUID
    on: date


class IntakeSet(ProviderEvent):
    """Whether they are taking on new people (cairn.domain.directory.intake)."""

    by: UUID
    intake: str
    until: date | None  # for "full": the day they expect to take people on again
    on: date


class IntakeLapsed(ProviderEvent):
    """A "full until" day came: the sweep clears the status."""

    on: date


class AccountLinked(ProviderEvent):
    """The listing now has an account that signs in to look after it (an invitation taken up)."""

    account_id: UUID


# Personal data (see cairn.domain.personal), declared on these classes so that Provider's
# subclasses of them inherit it. The application is under the applicant's email key;
# every later event is under the provider record's own key (`subject_for_id(provider id)`),
# which `cairn erase-person` shreds with the email's. Business name, postcode, services and
# description are the business's public listing, not treated as personal data.
personal(Applied, fields=("contact_name", "email", "phone"), subject="email")

# An edit's `changes` and `before` mix personal and public fields: only the personal keys
# are encrypted, so the dict keeps its shape and an erased edit still folds.
EDIT_PERSONAL = tuple(
    f"{side}.{field}" for side in ("changes", "before") for field in ("contact_name", "phone")
)
personal(ListingChange, fields=EDIT_PERSONAL, subject="")
# The CIC's question may name someone; the answer is the applicant's own words.
personal(InformationRequested, fields=("question",), subject="")
personal(InformationProvided, fields=("answer",), subject="")
# Why a provider leaves is in their own words (decision reasons by the CIC are not personal).
personal(Withdrawn, fields=("reason",), subject="")
# A PVG membership number and a policy number lead to the person who holds them.
personal(PvgRecorded, fields=("membership_number",), subject="")
personal(InsuranceRecorded, fields=("policy_number",), subject="")
