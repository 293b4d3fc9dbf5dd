"""An enquirer's contact details become links the provider can press; other words stay words."""

from __future__ import annotations

import pytest

from cairn.web.contact_links import contact_link


@pytest.mark.parametrize(
    ("typed", "link"),
    [
        ("morag@example.org", '<a href="mailto:morag@example.org">morag@example.org</a>'),
        ("01292 500000", '<a href="tel:+441292500000">01292 500000</a>'),
        ("+44 (0)7700 900123", '<a href="tel:+447700900123">+44 (0)7700 900123</a>'),
    ],
)
def test_an_email_or_a_uk_number_is_a_link(typed: str, link: str) -> None:
    assert str(contact_link(typed)) == link


@pytest.mark.parametrize(
    "typed", ["ring after 6", "morag at example dot org", "12345", "not@valid", ""]
)
def test_anything_else_is_shown_as_typed(typed: str) -> None:
    assert "<a" not in str(contact_link(typed))
    assert str(contact_link(typed)) == typed


def test_what_is_typed_is_escaped_in_a_link_and_out_of_one() -> None:
    assert str(contact_link("<b>ring</b>")) == "&lt;b&gt;ring&lt;/b&gt;"
    assert "<script" not in str(contact_link('a"<script>@example.org'))
