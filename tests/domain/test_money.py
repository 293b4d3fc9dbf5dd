"""Every amount of money is read one way; a price and a funding amount differ only in their
ceiling and their words."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from cairn.domain.errors import DomainError
from cairn.domain.learning.content import parse_money
from cairn.domain.money import MoneyRule, parse_pounds
from cairn.domain.validation import Invalid, parse_price

RULE = MoneyRule(
    maximum=Decimal(1_000_000),
    not_money="not money",
    not_more_than_nothing="nothing",
    too_much="too much",
    not_to_the_penny="pennies",
)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12500", "12500.00"),
        ("£12,500", "12500.00"),
        (" £ 999,999.5 ", "999999.50"),
        ("7", "7.00"),
        (".5", "0.50"),
    ],
)
def test_pounds_with_thousands_commas_and_pence_are_read(typed: str, amount: str) -> None:
    assert str(parse_pounds(typed, RULE)) == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "not money"),
        ("£", "not money"),
        (".", "not money"),
        ("18,50", "not money"),  # a decimal comma, or a slip: never guessed
        ("1,2345", "not money"),
        ("1e2", "not money"),
        ("-5", "not money"),
        ("12.345", "pennies"),
        ("0.00", "nothing"),
        ("1,000,001", "too much"),
    ],
)
def test_anything_else_is_refused_with_the_rules_words(typed: str, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_pounds(typed, RULE)
    assert refused.value.message == message


def test_a_price_and_a_funding_amount_read_the_same_text_the_same_way() -> None:
    for typed in ("£18.50", "1,2", "450", "1e2", "18,50"):
        price = _outcome(lambda: parse_price(typed))  # noqa: B023 (called at once)
        funding = _outcome(lambda: parse_money(typed))  # noqa: B023
        assert (price[0], funding[0]) in (("ok", "ok"), ("refused", "refused")), typed
        if price[0] == "ok":
            assert price[1] == funding[1]


def test_only_their_ceilings_differ() -> None:
    assert parse_money("£12,500") == Decimal("12500.00")
    with pytest.raises(Invalid) as refused:
        parse_price("£12,500")
    assert refused.value.message == "Enter a price of £500 or less"


def test_a_refused_funding_amount_is_a_domain_error_with_its_own_words() -> None:
    with pytest.raises(DomainError) as refused:
        parse_money("lots")
    assert refused.value.message == "Enter the funding amount in pounds, like 12500"


def _outcome(read: Callable[[], Decimal]) -> tuple[str, Decimal | None]:
    try:
        return "ok", read()
    except (Invalid, DomainError):
        return "refused", None
