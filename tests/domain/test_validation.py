"""How typed-in values are checked and tidied."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.domain.validation import (
    LANGUAGE_CODES,
    SDS_OPTIONS,
    Invalid,
    clean_text,
    district_from_input,
    normalise_district,
    normalise_districts,
    normalise_email,
    normalise_postcode,
    normalise_uk_phone,
    normalise_url,
    outward_code,
    parse_date,
    parse_day_month_year,
    parse_languages,
    parse_price,
    parse_sds_options,
    split_items,
)

# --- Invalid --------------------------------------------------------------------------------------


def test_invalid_carries_the_message_to_show() -> None:
    error = Invalid("Enter a postcode")
    assert error.message == "Enter a postcode"
    assert str(error) == "Enter a postcode"
    assert isinstance(error, ValueError)


# --- Lists of items -------------------------------------------------------------------------------


def test_a_semicolon_list_is_split_and_trimmed() -> None:
    assert split_items(" a ; b;;c; ") == ["a", "b", "c"]


def test_each_string_of_a_list_is_split_too() -> None:
    assert split_items(["a;b", " c ", ""]) == ["a", "b", "c"]


def test_commas_and_spaces_split_only_when_asked() -> None:
    assert split_items("a, b c") == ["a, b c"]
    assert split_items("a, b\tc", also_commas_and_spaces=True) == ["a", "b", "c"]


# --- Postcodes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "tidy"),
    [
        ("KA7 1AA", "KA7 1AA"),
        ("ka71aa", "KA7 1AA"),
        ("  Ka7   1aA ", "KA7 1AA"),
        ("EH1 1YZ", "EH1 1YZ"),
        ("G2 1DU", "G2 1DU"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("PH10 6PP", "PH10 6PP"),
        ("kw17\u00a02ab", "KW17 2AB"),
        ("gir 0aa", "GIR 0AA"),
    ],
)
def test_a_postcode_in_any_case_or_spacing_is_tidied(typed: str, tidy: str) -> None:
    assert normalise_postcode(typed) == tidy


def test_a_postcode_without_a_space_is_tidied() -> None:
    assert normalise_postcode("KA71AA") == "KA7 1AA"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "XYZ",
        "KA7",
        "KA7 1A",
        "KA7 AAA",
        "1KA 7AA",
        "KA7 1AA1",
        "ABC1 1AA",
        "KA7-1AA",
        "KA7 1\u0130A",
        "\uff2b\uff21\uff17 1AA",
    ],
)
def test_something_that_is_not_a_postcode_is_refused(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        normalise_postcode(typed)
    assert refused.value.message == "Enter a postcode in the right format, like KA7 1AA"


_OUTWARD = st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?", fullmatch=True)
_INWARD = st.from_regex(r"[0-9][A-Z]{2}", fullmatch=True)


@st.composite
def typed_postcodes(draw: st.DrawFn) -> str:
    """A valid postcode as someone might type it: any case, any spaces."""
    text = draw(_OUTWARD) + draw(_INWARD)
    cased = "".join(ch.lower() if draw(st.booleans()) else ch for ch in text)
    gaps = draw(
        st.lists(st.sampled_from(["", " ", "  "]), min_size=len(cased), max_size=len(cased))
    )
    return "".join(gap + ch for gap, ch in zip(gaps, cased, strict=True))


@given(typed_postcodes())
def test_normalising_a_tidy_postcode_changes_nothing(typed: str) -> None:
    tidy = normalise_postcode(typed)
    assert normalise_postcode(tidy) == tidy
    assert tidy == tidy.upper()
    assert tidy.count(" ") == 1
    assert len(tidy.split(" ")[1]) == 3


@given(st.text(max_size=12))
def test_any_text_is_a_tidy_postcode_or_refused(text: str) -> None:
    try:
        tidy = normalise_postcode(text)
    except Invalid:
        return
    assert normalise_postcode(tidy) == tidy


def test_the_outward_code_is_the_district_part_of_a_postcode() -> None:
    assert outward_code("KA7 1AA") == "KA7"
    assert outward_code("ec1a1bb") == "EC1A"


def test_the_outward_code_of_a_non_postcode_is_refused() -> None:
    with pytest.raises(Invalid):
        outward_code("KA7")


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("ka7", "KA7"),
        ("EH1", "EH1"),
        ("G2", "G2"),
        ("W1A", "W1A"),
        (" ph10 ", "PH10"),
        ("EC1A", "EC1A"),
    ],
)
def test_a_district_is_tidied(typed: str, district: str) -> None:
    assert normalise_district(typed) == district


@pytest.mark.parametrize("typed", ["", "KA", "7KA", "KA7 1AA", "KA7 1", "KA7X1", "K-7", "KA\u0661"])
def test_something_that_is_not_a_district_is_refused(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        normalise_district(typed)
    assert "like KA7 or EH1" in refused.value.message


@pytest.mark.parametrize(
    ("typed", "district"),
    [("KA7 1AA", "KA7"), ("ka71aa", "KA7"), ("ka7", "KA7"), ("W1A", "W1A"), ("W1A 0AX", "W1A")],
)
def test_a_place_can_be_given_as_a_postcode_or_a_district(typed: str, district: str) -> None:
    assert district_from_input(typed) == district


@pytest.mark.parametrize("typed", ["", "Ayr", "KA7 1", "K A7", "12345"])
def test_a_place_that_is_neither_postcode_nor_district_is_refused(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        district_from_input(typed)
    assert refused.value.message == "Enter a postcode or postcode district, like KA7 1AA or KA7"


@given(typed_postcodes())
def test_the_district_of_a_postcode_is_a_district(typed: str) -> None:
    district = district_from_input(typed)
    assert normalise_district(district) == district == outward_code(typed)


def test_districts_can_be_separated_by_semicolons_commas_or_spaces() -> None:
    assert normalise_districts("ka7;KA8, ka9 KA10\nPH1") == ("KA7", "KA8", "KA9", "KA10", "PH1")


def test_repeated_districts_are_listed_once_in_first_seen_order() -> None:
    assert normalise_districts(["KA8", "ka7", "KA8;KA7"]) == ("KA8", "KA7")


def test_no_districts_gives_an_empty_list() -> None:
    assert normalise_districts(" ; ") == ()


def test_a_bad_district_in_a_list_is_named() -> None:
    with pytest.raises(Invalid) as refused:
        normalise_districts("KA7;XYZ1;KA8")
    assert refused.value.message.startswith("XYZ1 is not a postcode district")


# --- Email ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "tidy"),
    [
        ("hello@carrick-care.example", "hello@carrick-care.example"),
        ("  Isla.A@Carrick-Care.EXAMPLE ", "Isla.A@carrick-care.example"),
        ("first+tag@sub.example.org", "first+tag@sub.example.org"),
    ],
)
def test_an_email_is_trimmed_and_its_domain_lower_cased(typed: str, tidy: str) -> None:
    assert normalise_email(typed) == tidy


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "not-an-email",
        "a@",
        "@example.org",
        "a b@example.org",
        "a@@example.org",
        "Isla <isla@example.org>",
        "a@example..org",
    ],
)
def test_a_malformed_email_is_refused(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        normalise_email(typed)
    assert refused.value.message == (
        "Enter an email address in the right format, like name@example.com"
    )


def test_an_email_domain_that_may_not_exist_is_still_accepted() -> None:
    # No DNS look-up: the directory must work offline and in tests.
    assert normalise_email("someone@no-such-domain-for-cairn.example") == (
        "someone@no-such-domain-for-cairn.example"
    )


# --- Phone ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "tidy"),
    [
        ("01292 500000", "01292 500000"),
        ("01292500000", "01292 500000"),
        ("(01292) 500-000", "01292 500000"),
        ("+44 1292 500000", "01292 500000"),
        ("+44 (0)1292 500000", "01292 500000"),
        ("0044 1292 500000", "01292 500000"),
        ("07700 900123", "07700 900123"),
        ("07700-900-123", "07700 900123"),
        ("+447700900123", "07700 900123"),
        ("01314960000", "0131 496 0000"),
        ("0141 496 0000", "0141 496 0000"),
        ("02079460000", "020 7946 0000"),
        ("0300 123 4567", "0300 123 4567"),
        ("08001234567", "0800 123 4567"),
        ("0800 123456", "0800 123456"),
        ("0169773456", "01697 73456"),
    ],
)
def test_a_uk_phone_number_is_tidied(typed: str, tidy: str) -> None:
    assert normalise_uk_phone(typed) == tidy


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "01292 5000",
        "01292 5000000",
        "0900 123 4567",
        "05 1234 5678",
        "+33 1 23 45 67 89",
        "0770090012",
        "07700 9OO123",
        "01292 500000 ext 2",
        "\u0660" * 11,
    ],
)
def test_something_that_is_not_a_uk_phone_number_is_refused(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        normalise_uk_phone(typed)
    assert refused.value.message == "Enter a UK phone number, like 01292 500000 or 07700 900123"


@given(st.from_regex(r"0[12378][0-9]{9}", fullmatch=True))
def test_a_tidy_phone_number_stays_the_same(digits: str) -> None:
    tidy = normalise_uk_phone(digits)
    assert normalise_uk_phone(tidy) == tidy
    assert tidy.replace(" ", "") == digits


# --- Web addresses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "tidy"),
    [
        ("https://carrick-care.example", "https://carrick-care.example"),
        (" HTTPS://WWW.Example.ORG/About?x=1#top ", "https://www.example.org/About?x=1#top"),
        ("http://localhost:5000/", "http://localhost:5000/"),
        ("http://192.168.0.1/", "http://192.168.0.1/"),
    ],
)
def test_a_web_address_is_tidied(typed: str, tidy: str) -> None:
    assert normalise_url(typed) == tidy


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "www.example.org",
        "ftp://example.org",
        "javascript:alert(1)",
        "https://example",
        "https://exa mple.org",
        "https://example.org/a b",
        "https://-bad-.org",
        "https://example.org:port",
        "https://user:secret@example.org",
        "https://example..org",
        "https://",
        "https://example.org/\x00",
    ],
)
def test_something_that_is_not_a_web_address_is_refused(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        normalise_url(typed)
    assert "like https://www.example.org" in refused.value.message


def test_an_overlong_web_address_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        normalise_url("https://example.org/" + "a" * 2000)
    assert refused.value.message == "Web address must be 2,000 characters or fewer"


# --- Dates ----------------------------------------------------------------------------------------


def test_a_date_is_read_in_year_month_day_order() -> None:
    assert parse_date(" 2026-03-11 ") == datetime.date(2026, 3, 11)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "11/03/2026",
        "2026-3-11",
        "20260311",
        "2026-03-11T10:00",
        "next tuesday",
        "\u0662\u0660\u0662\u0666-03-11",
    ],
)
def test_a_date_in_another_format_is_refused(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_date(typed)
    assert refused.value.message == "Enter a date in the format YYYY-MM-DD, like 2026-03-11"


@pytest.mark.parametrize("typed", ["2026-02-30", "2026-13-01", "2026-00-10"])
def test_a_date_that_does_not_exist_is_refused(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_date(typed)
    assert refused.value.message == "Enter a real date, like 2026-03-11"


@given(st.dates())
def test_any_real_date_round_trips(day: datetime.date) -> None:
    assert parse_date(day.isoformat()) == day


# --- Prices ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "price"),
    [
        ("18.50", "18.50"),
        ("18.5", "18.50"),
        ("18", "18.00"),
        ("£18.50", "18.50"),
        (" £ 18.50 ", "18.50"),
        (".5", "0.50"),
        ("0.01", "0.01"),
        ("500", "500.00"),
    ],
)
def test_a_price_is_read_as_pounds_and_pence(typed: str, price: str) -> None:
    parsed = parse_price(typed)
    assert parsed == Decimal(price)
    assert str(parsed) == price


@pytest.mark.parametrize("typed", ["", "£", ".", "free", "18,50", "-5", "1e2", "18.50.1", "$18"])
def test_a_price_that_is_not_a_number_of_pounds_is_refused(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_price(typed)
    assert refused.value.message == "Enter a price in pounds, like 18.50"


def test_a_price_with_fractions_of_a_penny_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        parse_price("18.505")
    assert refused.value.message == "Enter the price to the nearest penny, like 18.50"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Enter a price more than £0"),
        ("0.00", "Enter a price more than £0"),
        ("500.01", "Enter a price of £500 or less"),
        ("10000", "Enter a price of £500 or less"),
    ],
)
def test_a_price_out_of_range_is_refused(typed: str, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_price(typed)
    assert refused.value.message == message


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(500), places=2))
def test_any_price_in_range_round_trips(price: Decimal) -> None:
    assert parse_price(str(price)) == price


# --- Free text ------------------------------------------------------------------------------------


def test_text_is_trimmed() -> None:
    assert clean_text("  Carrick Care  ", max_length=120) == "Carrick Care"


def test_html_is_kept_as_text_to_be_escaped_on_output() -> None:
    assert clean_text("<b>Care</b> & more", max_length=120) == "<b>Care</b> & more"


def test_text_that_is_too_long_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        clean_text("x" * 121, max_length=120)
    assert refused.value.message == "Must be 120 characters or fewer"


def test_long_limits_are_written_with_a_thousands_separator() -> None:
    with pytest.raises(Invalid) as refused:
        clean_text("x" * 2001, max_length=2000, multiline=True)
    assert refused.value.message == "Must be 2,000 characters or fewer"


def test_text_at_the_limits_is_accepted() -> None:
    assert clean_text("x" * 120, max_length=120) == "x" * 120
    assert clean_text("xy", min_length=2, max_length=120) == "xy"


def test_text_that_is_too_short_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        clean_text(" x ", min_length=2, max_length=120)
    assert refused.value.message == "Must be 2 characters or more"


def test_blank_text_is_refused_unless_allowed() -> None:
    with pytest.raises(Invalid) as refused:
        clean_text("   ", max_length=120)
    assert refused.value.message == "Enter some text"
    assert clean_text("   ", min_length=0, max_length=120) == ""


def test_single_line_text_may_not_contain_line_breaks() -> None:
    with pytest.raises(Invalid) as refused:
        clean_text("Carrick\nCare", max_length=120)
    assert refused.value.message == "Remove the line breaks so this fits on one line"


@pytest.mark.parametrize("typed", ["a\tb", "a\x00b", "a\x1bb", "a\x7fb", "a\x85b", "a\ud800b"])
def test_control_characters_are_refused(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        clean_text(typed, max_length=120)
    assert refused.value.message == "Remove tabs and other hidden characters"


def test_multiline_text_keeps_line_breaks_and_tabs_with_line_endings_made_consistent() -> None:
    typed = "First line\r\nSecond\tline\rThird line\u2028Fourth\n"
    assert clean_text(typed, max_length=200, multiline=True) == (
        "First line\nSecond\tline\nThird line\nFourth"
    )


def test_multiline_text_still_refuses_other_control_characters() -> None:
    with pytest.raises(Invalid):
        clean_text("a\n\x07b", max_length=200, multiline=True)


def test_text_is_stored_in_composed_form() -> None:
    decomposed = "Cafe\u0301"
    assert clean_text(decomposed, max_length=4) == "Caf\u00e9"


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs")


@given(st.text(), st.booleans())
def test_clean_text_never_returns_control_characters(typed: str, multiline: bool) -> None:
    try:
        cleaned = clean_text(typed, min_length=0, max_length=10_000, multiline=multiline)
    except Invalid:
        return
    allowed = "\n\t" if multiline else ""
    assert not any(_is_control(ch) and ch not in allowed for ch in cleaned)
    assert "\r" not in cleaned
    assert cleaned == cleaned.strip()
    assert clean_text(cleaned, min_length=0, max_length=10_000, multiline=multiline) == cleaned


@given(st.text(), st.integers(min_value=0, max_value=5), st.integers(min_value=5, max_value=30))
def test_clean_text_keeps_within_the_lengths_asked(typed: str, shortest: int, longest: int) -> None:
    try:
        cleaned = clean_text(typed, min_length=shortest, max_length=longest, multiline=True)
    except Invalid:
        return
    assert shortest <= len(cleaned) <= longest


# --- Vocabularies ---------------------------------------------------------------------------------


def test_sds_options_are_put_in_order_without_repeats() -> None:
    assert parse_sds_options("3;1;3") == ("1", "3")
    assert parse_sds_options(["4", "2"]) == ("2", "4")
    assert parse_sds_options("") == ()
    assert set(SDS_OPTIONS) == {"1", "2", "3", "4"}


@pytest.mark.parametrize("typed", ["5", "0", "option 1", "one"])
def test_an_unknown_sds_option_is_named(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_sds_options(f"1;{typed}")
    assert refused.value.message == (
        f"{typed} is not a Self-directed Support option. Use 1, 2, 3 or 4"
    )


def test_languages_are_lower_cased_and_kept_in_the_order_given() -> None:
    assert parse_languages("EN;gd;pl;en") == ("en", "gd", "pl")
    assert parse_languages(["ur", "ar"]) == ("ur", "ar")
    assert parse_languages("") == ()


_SPOKEN_IN_SCOTLAND = "en gd pl ur ar pa zh ro bg uk fr de es it bn hi so ku fa ta cy ga"


@pytest.mark.parametrize("code", _SPOKEN_IN_SCOTLAND.split())
def test_languages_spoken_in_scotland_are_known(code: str) -> None:
    assert code in LANGUAGE_CODES
    assert parse_languages(code) == (code,)


def test_every_language_code_is_two_lower_case_letters() -> None:
    assert len(LANGUAGE_CODES) == 183
    assert all(len(code) == 2 and code.isascii() and code.islower() for code in LANGUAGE_CODES)


@pytest.mark.parametrize("typed", ["bsl", "eng", "english", "xx", "e"])
def test_something_that_is_not_a_two_letter_language_code_is_named(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_languages(f"en;{typed}")
    assert refused.value.message == (
        f"{typed} is not a language code. Use two-letter codes, like en or gd"
    )


class TestThreeBoxDates:
    """Dates typed in the design system's day, month and year boxes."""

    def test_a_date_in_uk_order(self) -> None:
        assert parse_day_month_year(" 7", "3 ", "2026") == datetime.date(2026, 3, 7)

    @pytest.mark.parametrize(
        ("day", "month", "year", "message"),
        [
            ("", "", "", "Enter a date"),
            ("", "3", "2026", "The date must include a day"),
            ("7", "", "2026", "The date must include a month"),
            ("7", "3", "", "The date must include a year"),
            ("seven", "3", "2026", "Enter the day, month and year as numbers, like 27 3 2026"),
            ("7", "3", "26", "The year must have 4 numbers, like 2026"),
            ("31", "2", "2026", "Enter a real date, like 27 3 2026"),
            ("7", "13", "2026", "Enter a real date, like 27 3 2026"),
        ],
    )
    def test_each_mistake_names_the_box(
        self, day: str, month: str, year: str, message: str
    ) -> None:
        with pytest.raises(Invalid) as refused:
            parse_day_month_year(day, month, year)
        assert str(refused.value.message) == message
