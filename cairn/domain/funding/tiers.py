"""The tiers of support a partnership defines (Clackmannanshire and Stirling use tiers 1 to 4,
from universal to specialist). One record holds them all, so a tier's number is unique."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import DomainError
from cairn.domain.funding.fund import checked_name
from cairn.domain.validation import _

# The one set of tiers; its id is fixed, so "does it exist yet" is a lookup, not a search.
TIERS_ID = uuid5(NAMESPACE_URL, "cairn:funding:support-tiers")
MAX_TIER_NUMBER = 20


class SupportTiers(Aggregate):
    class Started(Aggregate.Created):
        pass

    class TierDefined(Aggregate.Event):
        tier_id: UUID
        number: int
        name: str
        by: UUID

    class TierCorrected(Aggregate.Event):
        tier_id: UUID
        number: int
        name: str
        by: UUID

    @staticmethod
    def create_id() -> UUID:
        return TIERS_ID

    @event(Started)
    def __init__(self) -> None:
        self.tiers: dict[UUID, tuple[int, str]] = {}

    def _checked(self, number: int, name: str, tier_id: UUID | None) -> str:
        if not 1 <= number <= MAX_TIER_NUMBER:
            raise DomainError(
                _("Give the tier a number from 1 to {most}.").format(most=MAX_TIER_NUMBER)
            )
        for other, (taken, _name) in self.tiers.items():
            if taken == number and other != tier_id:
                raise DomainError(_("There is already a tier {number}.").format(number=number))
        return checked_name(name, _("the tier's name"))

    def define(self, number: int, name: str, *, by: UUID) -> UUID:
        name = self._checked(number, name, None)
        tier_id = uuid4()
        self._defined(tier_id=tier_id, number=number, name=name, by=by)
        return tier_id

    @event(TierDefined)
    def _defined(self, tier_id: UUID, number: int, name: str, by: UUID) -> None:
        self.tiers[tier_id] = (number, name)

    def correct(self, tier_id: UUID, number: int, name: str, *, by: UUID) -> None:
        self.require(tier_id)
        name = self._checked(number, name, tier_id)
        if self.tiers[tier_id] == (number, name):
            raise DomainError(_("Nothing changed, so there is nothing to save."))
        self._corrected(tier_id=tier_id, number=number, name=name, by=by)

    @event(TierCorrected)
    def _corrected(self, tier_id: UUID, number: int, name: str, by: UUID) -> None:
        self.tiers[tier_id] = (number, name)

    def require(self, tier_id: UUID) -> None:
        if tier_id not in self.tiers:
            raise DomainError(_("Choose one of the tiers of support."))
