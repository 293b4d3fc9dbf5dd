"""What a funding amount may be, in the domain and as people type it."""

from __future__ import annotations

from decimal import Decimal

from cairn.domain.errors import DomainError
from cairn.domain.money import PENNY, MoneyRule, parse_pounds
from cairn.domain.validation import Invalid, _

MAX_AMOUNT = Decimal(100_000_000)

AMOUNT = MoneyRule(
    maximum=MAX_AMOUNT,
    not_money=_("Enter the amount in pounds, like 12500"),
    not_more_than_nothing=_("Enter an amount more than £0: amounts cannot be negative"),
    too_much=_("Enter an amount of £100,000,000 or less"),
    not_to_the_penny=_("Enter the amount to the nearest penny"),
)


def read_amount(text: str) -> Decimal:
    """'£12,500' -> Decimal('12500.00'); Invalid with the words above. A minus sign is read
    as what it means, so '-500' is told it cannot be negative, not that it is not money."""
    if text.strip().removeprefix("£").strip().startswith(("-", "−")):
        raise Invalid(AMOUNT.not_more_than_nothing)
    return parse_pounds(text, AMOUNT)


def checked_amount(amount: Decimal) -> Decimal:
    """The same rule for an amount that arrives as a number (the demo, the CLI, tests)."""
    if amount <= 0:
        raise DomainError(AMOUNT.not_more_than_nothing)
    if amount > MAX_AMOUNT:
        raise DomainError(AMOUNT.too_much)
    if amount != amount.quantize(PENNY):
        raise DomainError(AMOUNT.not_to_the_penny)
    return amount.quantize(PENNY)
