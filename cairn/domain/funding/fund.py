"""A fund: money from one funder for a period, allocated to tiers of support by financial year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import DomainError
from cairn.domain.funding.years import financial_year, year_ends, year_label, year_starts
from cairn.domain.validation import Invalid, _, clean_text


def checked_name(text: str, label: str) -> str:
    try:
        cleaned = clean_text(text, max_length=200)
    except Invalid as error:
        raise DomainError(error.message) from None
    if not cleaned:
        raise DomainError(_("Enter {label}.").format(label=label))
    return cleaned


def checked_period(starts_on: date, ends_on: date) -> None:
    if ends_on <= starts_on:
        raise DomainError(_("The fund must end after it starts."))


class Fund(Aggregate):
    """Amounts are kept as strings in events ("45000.00"): exact, and readable in the log."""

    class Opened(Aggregate.Created):
        funder: str
        name: str
        starts_on: date
        ends_on: date
        restricted: bool
        by: UUID

    class Corrected(Aggregate.Event):
        funder: str
        name: str
        starts_on: date
        ends_on: date
        restricted: bool
        by: UUID

    # `year`: the calendar year the financial year starts in (2026 for 2026–27).
    class Allocated(Aggregate.Event):
        tier_id: UUID
        year: int
        amount: str
        by: UUID

    class AllocationCorrected(Aggregate.Event):
        tier_id: UUID
        year: int
        amount: str
        by: UUID

    @event(Opened)
    def __init__(
        self, funder: str, name: str, starts_on: date, ends_on: date, restricted: bool, by: UUID
    ) -> None:
        self._set(funder, name, starts_on, ends_on, restricted)
        self.allocations: dict[tuple[UUID, int], Decimal] = {}

    @classmethod
    def open(
        cls, funder: str, name: str, starts_on: date, ends_on: date, restricted: bool, *, by: UUID
    ) -> Fund:
        checked_period(starts_on, ends_on)
        return cls(
            funder=checked_name(funder, _("the funder")),
            name=checked_name(name, _("the fund's name")),
            starts_on=starts_on,
            ends_on=ends_on,
            restricted=restricted,
            by=by,
        )

    def _set(
        self, funder: str, name: str, starts_on: date, ends_on: date, restricted: bool
    ) -> None:
        self.funder = funder
        self.name = name
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.restricted = restricted

    def correct(
        self, funder: str, name: str, starts_on: date, ends_on: date, restricted: bool, *, by: UUID
    ) -> None:
        checked_period(starts_on, ends_on)
        funder = checked_name(funder, _("the funder"))
        name = checked_name(name, _("the fund's name"))
        if (funder, name, starts_on, ends_on, restricted) == (
            self.funder,
            self.name,
            self.starts_on,
            self.ends_on,
            self.restricted,
        ):
            raise DomainError(_("Nothing changed, so there is nothing to save."))
        for _tier, year in self.allocations:
            if not _overlaps(year, starts_on, ends_on):
                raise DomainError(
                    _(
                        "The fund has money allocated in {year}, outside that period: "
                        "correct that allocation first."
                    ).format(year=year_label(year))
                )
        self._corrected(
            funder=funder,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            restricted=restricted,
            by=by,
        )

    @event(Corrected)
    def _corrected(
        self, funder: str, name: str, starts_on: date, ends_on: date, restricted: bool, by: UUID
    ) -> None:
        self._set(funder, name, starts_on, ends_on, restricted)

    @property
    def years(self) -> list[int]:
        return list(range(financial_year(self.starts_on), financial_year(self.ends_on) + 1))

    def allocate(self, tier_id: UUID, year: int, amount: Decimal, *, by: UUID) -> None:
        """Make `amount` what this fund gives the tier in that financial year. The first time
        it is an allocation; after that a correction, so the history shows both."""
        if not _overlaps(year, self.starts_on, self.ends_on):
            raise DomainError(
                _(
                    "{year} is outside the fund's period ({starts} to {ends}): "
                    "choose a financial year the fund covers."
                ).format(
                    year=year_label(year),
                    starts=uk_date(self.starts_on),
                    ends=uk_date(self.ends_on),
                )
            )
        current = self.allocations.get((tier_id, year))
        if current is None:
            self._allocated(tier_id=tier_id, year=year, amount=str(amount), by=by)
        elif current == amount:
            raise DomainError(_("Nothing changed, so there is nothing to save."))
        else:
            self._allocation_corrected(tier_id=tier_id, year=year, amount=str(amount), by=by)

    @event(Allocated)
    def _allocated(self, tier_id: UUID, year: int, amount: str, by: UUID) -> None:
        self.allocations[(tier_id, year)] = Decimal(amount)

    @event(AllocationCorrected)
    def _allocation_corrected(self, tier_id: UUID, year: int, amount: str, by: UUID) -> None:
        self.allocations[(tier_id, year)] = Decimal(amount)


def _overlaps(year: int, starts_on: date, ends_on: date) -> bool:
    return year_starts(year) <= ends_on and starts_on <= year_ends(year)


def uk_date(day: date) -> str:
    """27/3/2026: the order people here write dates in, in a message from the domain."""
    return f"{day.day}/{day.month}/{day.year}"
