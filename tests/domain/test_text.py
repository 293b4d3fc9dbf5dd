"""Domain messages read as English and keep what the web layer needs to translate them."""

from __future__ import annotations

import pickle

import pytest

from cairn.domain.text import Text, _, joined
from cairn.domain.validation import Invalid, normalise_districts


def test_a_marked_message_is_its_english_text() -> None:
    message = _("Enter a postcode")
    assert message == "Enter a postcode"
    assert isinstance(message, str)
    assert message.template == "Enter a postcode"


def test_filling_in_a_message_keeps_the_template_and_the_values() -> None:
    message = _("{value} is not a postcode district").format(value="ZZ")
    assert message == "ZZ is not a postcode district"
    assert isinstance(message, Text)
    assert message.template == "{value} is not a postcode district"
    assert message.kwargs == {"value": "ZZ"}


def test_braces_in_an_unfilled_message_are_left_alone() -> None:
    assert _("Use {value} here") == "Use {value} here"


def test_a_message_survives_pickling_with_its_template() -> None:
    message = _("Must be {count} characters or fewer").format(count=5)
    copy = pickle.loads(pickle.dumps(message))
    assert copy == message and copy.template == message.template and copy.kwargs == {"count": 5}


def test_validation_errors_carry_translatable_messages() -> None:
    with pytest.raises(Invalid) as caught:
        normalise_districts("KA7;nonsense")
    message = caught.value.message
    assert isinstance(message, Text)
    assert message.template.startswith("{value} is not a postcode district")
    assert message.kwargs == {"value": "nonsense"}


def test_a_lower_case_message_keeps_its_template_and_survives_pickling() -> None:
    message = _("Under review").lower()
    assert message == "under review"
    assert message.template == "Under review" and message.lowered
    copy = pickle.loads(pickle.dumps(message))
    assert copy == "under review" and copy.lowered


def test_joined_messages_keep_each_item_for_translation() -> None:
    message = joined("; ", [_("there is no PVG check on record"), "KA7 {x}"])
    assert message == "there is no PVG check on record; KA7 {x}"
    assert message.args == ("there is no PVG check on record", "KA7 {x}")
