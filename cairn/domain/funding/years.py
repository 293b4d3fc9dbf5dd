"""Financial years (1 April to 31 March) and how a commitment's money falls across them.

A commitment of £45,000 over 36 months from September is £1,250 a month; each financial
year counts the months of the commitment that fall in it. Pure arithmetic, so the read model,
the downloads and the tests all spread money the same way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cairn.domain.money import PENNY

# The first month of a financial year.
APRIL = 4


def financial_year(day: date) -> int:
    """The year a financial year starts in: 10 May 2026 and 2 March 2027 are both 2026."""
    return day.year if day.month >= APRIL else day.year - 1


def year_starts(year: int) -> date:
    return date(year, APRIL, 1)


def year_ends(year: int) -> date:
    return date(year + 1, APRIL - 1, 31)


def year_label(year: int) -> str:
    """2026 -> '2026–27', as partnerships write them."""
    return f"{year}–{(year + 1) % 100:02d}"


def years_between(starts_on: date, ends_on: date) -> list[int]:
    """Every financial year a period touches, first to last."""
    return list(range(financial_year(starts_on), financial_year(ends_on) + 1))


def months_from(starts_on: date, months: int) -> list[tuple[int, int]]:
    """The (year, month) of each month of a commitment, from the month it starts."""
    first = starts_on.year * 12 + starts_on.month - 1
    return [divmod(first + n, 12) for n in range(months)]


def ends_after(starts_on: date, months: int) -> date:
    """The last day of the commitment's last month."""
    year, month0 = months_from(starts_on, months)[-1]
    following = date(year + (month0 + 1) // 12, (month0 + 1) % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def spread_by_year(amount: Decimal, starts_on: date, months: int) -> dict[int, Decimal]:
    """The amount split evenly by month across financial years, to the penny; the last year
    takes what rounding leaves, so the parts always add up to the whole."""
    counts: dict[int, int] = {}
    for year, month0 in months_from(starts_on, months):
        fy = financial_year(date(year, month0 + 1, 1))
        counts[fy] = counts.get(fy, 0) + 1
    parts: dict[int, Decimal] = {}
    left = amount
    ordered = sorted(counts)
    for fy in ordered[:-1]:
        share = (amount * counts[fy] / months).quantize(PENNY)
        parts[fy] = share
        left -= share
    parts[ordered[-1]] = left
    return parts
