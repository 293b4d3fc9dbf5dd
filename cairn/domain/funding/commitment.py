"""A commitment of money to an experiment: how much, from when, for how many months, from
which funds (one or several), to which tier of support; and the spend recorded against it.

Spend may go above the commitment (it happens, and hiding it would be worse): it is shown as
an overspend, not refused."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import DomainError
from cairn.domain.funding.amounts import checked_amount
from cairn.domain.validation import _

MAX_MONTHS = 120


def checked_parts(parts: Mapping[UUID, Decimal]) -> list[dict[str, Any]]:
    """{fund id: amount} -> the event's list, every amount checked."""
    if not parts:
        raise DomainError(_("Choose at least one fund and say how much it gives."))
    return [
        {"fund_id": str(fund_id), "amount": str(checked_amount(amount))}
        for fund_id, amount in parts.items()
    ]


def checked_months(months: int) -> int:
    if not 1 <= months <= MAX_MONTHS:
        raise DomainError(
            _("Enter how many months it is committed for, 1 to {most}.").format(most=MAX_MONTHS)
        )
    return months


def parts_of(data: list[dict[str, Any]]) -> dict[UUID, Decimal]:
    return {UUID(part["fund_id"]): Decimal(part["amount"]) for part in data}


class Commitment(Aggregate):
    # `parts`: [{"fund_id": "...", "amount": "30000.00"}, ...]; the commitment is their sum.
    class Made(Aggregate.Created):
        experiment_id: UUID
        tier_id: UUID
        starts_on: date
        months: int
        parts: list[dict[str, Any]]
        by: UUID

    class Corrected(Aggregate.Event):
        tier_id: UUID
        starts_on: date
        months: int
        parts: list[dict[str, Any]]
        by: UUID

    class SpendRecorded(Aggregate.Event):
        spend_id: UUID
        on: date
        amount: str
        by: UUID

    class SpendCorrected(Aggregate.Event):
        spend_id: UUID
        on: date
        amount: str
        by: UUID

    @event(Made)
    def __init__(
        self,
        experiment_id: UUID,
        tier_id: UUID,
        starts_on: date,
        months: int,
        parts: list[dict[str, Any]],
        by: UUID,
    ) -> None:
        self.experiment_id = experiment_id
        self._set(tier_id, starts_on, months, parts)
        self.spend: dict[UUID, tuple[date, Decimal]] = {}

    @classmethod
    def make(
        cls,
        experiment_id: UUID,
        tier_id: UUID,
        starts_on: date,
        months: int,
        parts: Mapping[UUID, Decimal],
        *,
        by: UUID,
    ) -> Commitment:
        return cls(
            experiment_id=experiment_id,
            tier_id=tier_id,
            starts_on=starts_on,
            months=checked_months(months),
            parts=checked_parts(parts),
            by=by,
        )

    def _set(
        self, tier_id: UUID, starts_on: date, months: int, parts: list[dict[str, Any]]
    ) -> None:
        self.tier_id = tier_id
        self.starts_on = starts_on
        self.months = months
        self.parts = parts_of(parts)

    @property
    def amount(self) -> Decimal:
        return sum(self.parts.values(), Decimal(0))

    @property
    def spent(self) -> Decimal:
        return sum((amount for _on, amount in self.spend.values()), Decimal(0))

    def correct(
        self,
        tier_id: UUID,
        starts_on: date,
        months: int,
        parts: Mapping[UUID, Decimal],
        *,
        by: UUID,
    ) -> None:
        checked = checked_parts(parts)
        months = checked_months(months)
        if (tier_id, starts_on, months, parts_of(checked)) == (
            self.tier_id,
            self.starts_on,
            self.months,
            self.parts,
        ):
            raise DomainError(_("Nothing changed, so there is nothing to save."))
        self._corrected(tier_id=tier_id, starts_on=starts_on, months=months, parts=checked, by=by)

    @event(Corrected)
    def _corrected(
        self, tier_id: UUID, starts_on: date, months: int, parts: list[dict[str, Any]], by: UUID
    ) -> None:
        self._set(tier_id, starts_on, months, parts)

    def record_spend(self, amount: Decimal, *, on: date, today: date, by: UUID) -> UUID:
        _check_spend_date(on, today)
        spend_id = uuid4()
        self._spend_recorded(spend_id=spend_id, on=on, amount=str(checked_amount(amount)), by=by)
        return spend_id

    @event(SpendRecorded)
    def _spend_recorded(self, spend_id: UUID, on: date, amount: str, by: UUID) -> None:
        self.spend[spend_id] = (on, Decimal(amount))

    def correct_spend(
        self, spend_id: UUID, amount: Decimal, *, on: date, today: date, by: UUID
    ) -> None:
        if spend_id not in self.spend:
            raise DomainError(_("We could not find that spend on this commitment."))
        _check_spend_date(on, today)
        amount = checked_amount(amount)
        if self.spend[spend_id] == (on, amount):
            raise DomainError(_("Nothing changed, so there is nothing to save."))
        self._spend_corrected(spend_id=spend_id, on=on, amount=str(amount), by=by)

    @event(SpendCorrected)
    def _spend_corrected(self, spend_id: UUID, on: date, amount: str, by: UUID) -> None:
        self.spend[spend_id] = (on, Decimal(amount))


def _check_spend_date(on: date, today: date) -> None:
    if on > today:
        raise DomainError(_("The date of the spend cannot be in the future."))
