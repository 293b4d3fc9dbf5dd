"""Sums of money as people type them: one reading for every amount Cairn takes.

A price per hour and a funding commitment were read by two parsers that disagreed ("£12,500"
was a number to one and not to the other; "1e2" the reverse). Both now read pounds the same
way and differ only in their ceiling and their words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from cairn.domain.errors import Invalid
from cairn.domain.text import Text

PENNY = Decimal("0.01")

# Pounds, optionally grouped in thousands with commas ("12,500" but never "18,50", which
# someone used to a decimal comma may mean as £18.50), then optional pence.
_POUNDS = re.compile(r"(?P<pounds>[0-9]*|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.(?P<pence>[0-9]+))?")


@dataclass(frozen=True)
class MoneyRule:
    """What one kind of amount may be, and what to say when it is not."""

    maximum: Decimal
    not_money: Text
    not_more_than_nothing: Text
    too_much: Text
    not_to_the_penny: Text


def parse_pounds(text: str, rule: MoneyRule) -> Decimal:
    """'£12,500', '18.5' or ' £ 7 ' -> Decimal with two places; Invalid with the rule's words."""
    candidate = text.strip().removeprefix("£").strip()
    match = _POUNDS.fullmatch(candidate)
    if match is None or not (match["pounds"] or match["pence"]):
        raise Invalid(rule.not_money)
    if len(match["pence"] or "") > 2:
        raise Invalid(rule.not_to_the_penny)
    amount = Decimal(candidate.replace(",", ""))
    if amount <= 0:
        raise Invalid(rule.not_more_than_nothing)
    if amount > rule.maximum:
        raise Invalid(rule.too_much)
    return amount.quantize(PENNY)
