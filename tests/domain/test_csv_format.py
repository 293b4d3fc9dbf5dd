"""Reading the provider import CSV."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.domain.directory.csv_format import (
    COLUMN_NAMES,
    ParsedFile,
    ProviderRecord,
    RowError,
    parse_provider_csv,
)
from cairn.domain.validation import DAYS

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"

GOOD_ROW = {
    "name": "Carrick Care Companions",
    "contact_name": "Isla A.",
    "email": "hello@carrick-care-companions.example",
    "phone": "01292 500000",
    "postcode": "KA7 1AA",
    "areas_covered": "KA7;KA6",
    "services": "learning-disability-support",
    "description": "Isla runs a small local enterprise.",
    "languages": "en;gd",
    "availability": "mon;tue;overnight",
    "price_per_hour": "18.00",
    "sds_options": "2;3",
    "pvg_checked_on": "2026-03-11",
    "insurance_expires_on": "2027-03-21",
    "training": "first-aid;food-hygiene",
    "website": "https://carrick-care-companions.example",
    "approved_on": "2026-10-01",
}


def csv_text(*rows: dict[str, str], header: list[str] | None = None) -> str:
    """A CSV file with the given rows, written the way a spreadsheet would."""
    columns = header if header is not None else list(COLUMN_NAMES)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


def parse(text: str) -> ParsedFile:
    return parse_provider_csv(io.StringIO(text, newline=""))


def row(**changes: str) -> dict[str, str]:
    return {**GOOD_ROW, **changes}


def errors_of(parsed: ParsedFile) -> list[tuple[int, str]]:
    return [(error.line, error.column) for error in parsed.errors]


# --- The shared sample files ----------------------------------------------------------------------


def test_every_row_of_the_sample_file_is_read() -> None:
    with (SAMPLES / "providers-sample.csv").open(encoding="utf-8", newline="") as f:
        parsed = parse_provider_csv(f)
    assert parsed.errors == ()
    assert len(parsed.records) == 24
    assert [record.line for record in parsed.records] == list(range(2, 26))
    assert len({record.email for record in parsed.records}) == 24


def test_the_first_sample_row_is_read_into_tidy_values() -> None:
    with (SAMPLES / "providers-sample.csv").open(encoding="utf-8", newline="") as f:
        first = parse_provider_csv(f).records[0]
    assert first.name == "Carrick Care Companions"
    assert first.phone == "01292 500000"
    assert first.postcode == "KA7 1AA"
    assert first.areas_covered == ("KA7", "KA6")
    assert first.services == ("learning-disability-support",)
    # The sample's days and time: every day, overnight.
    assert first.availability == tuple(f"{d}-overnight" for d in DAYS)
    assert first.price_per_hour == Decimal("18.00")
    assert first.sds_options == ("2", "3")
    assert first.approved_on == date(2026, 10, 1)
    assert first.website == "https://carrick-care-companions.example"


def test_every_bad_row_of_the_bad_sample_file_is_named() -> None:
    with (SAMPLES / "providers-bad.csv").open(encoding="utf-8", newline="") as f:
        parsed = parse_provider_csv(f)
    assert errors_of(parsed) == [(3, "email"), (4, "postcode"), (5, "services"), (6, "name")]
    assert str(parsed.errors[2]).startswith("line 5: services: Unknown service: astrology")
    assert [record.line for record in parsed.records] == [2]


# --- Good rows ------------------------------------------------------------------------------------


def test_a_good_row_becomes_a_record_with_every_field_tidied() -> None:
    parsed = parse(
        csv_text(
            row(
                email="Hello@Carrick.EXAMPLE",
                phone="+44 1292 500000",
                postcode="ka71aa",
                areas_covered="ka7; ka6",
                availability="overnight;Mon",
                price_per_hour="£18.5",
                sds_options="3;2",
                website="HTTPS://Carrick.example",
            )
        )
    )
    assert parsed.errors == ()
    assert parsed.records == (
        ProviderRecord(
            line=2,
            name="Carrick Care Companions",
            contact_name="Isla A.",
            email="Hello@carrick.example",
            phone="01292 500000",
            postcode="KA7 1AA",
            areas_covered=("KA7", "KA6"),
            services=("learning-disability-support",),
            description="Isla runs a small local enterprise.",
            description_language="en",  # an empty cell: English
            languages=("en", "gd"),
            availability=("mon-overnight",),
            price_per_hour=Decimal("18.50"),
            sds_options=("2", "3"),
            pvg_checked_on=date(2026, 3, 11),
            insurance_expires_on=date(2027, 3, 21),
            training=("first-aid", "food-hygiene"),
            website="https://carrick.example",
            approved_on=date(2026, 10, 1),
        ),
    )


def test_a_description_in_gaelic_says_so_and_a_made_up_language_is_refused() -> None:
    parsed = parse(
        csv_text(row(description="Cuideachadh aig an taigh.", description_language="GD"))
    )
    assert parsed.errors == () and parsed.records[0].description_language == "gd"
    refused = parse(csv_text(row(description_language="xx")))
    assert errors_of(refused) == [(2, "description_language")]


def test_empty_optional_cells_mean_nothing_given() -> None:
    optional = [
        "phone",
        "languages",
        "availability",
        "price_per_hour",
        "sds_options",
        "pvg_checked_on",
        "insurance_expires_on",
        "training",
        "website",
        "approved_on",
    ]
    parsed = parse(csv_text(row(**dict.fromkeys(optional, " "))))
    assert parsed.errors == ()
    record = parsed.records[0]
    assert record.phone is None
    assert record.price_per_hour is None
    assert record.pvg_checked_on is None
    assert record.insurance_expires_on is None
    assert record.website is None
    assert record.approved_on is None
    assert record.languages == record.availability == record.sds_options == record.training == ()


def test_optional_columns_may_be_left_out_of_the_header() -> None:
    required = [
        "name",
        "contact_name",
        "email",
        "postcode",
        "areas_covered",
        "services",
        "description",
    ]
    parsed = parse(csv_text(GOOD_ROW, header=required))
    assert parsed.errors == ()
    assert parsed.records[0].phone is None


def test_columns_may_come_in_any_order_and_case() -> None:
    header = ["email", "name", *[c for c in COLUMN_NAMES if c not in ("email", "name")]]
    text = csv_text(GOOD_ROW, header=header).replace("email,name,", " Email,NAME ,", 1)
    parsed = parse(text)
    assert parsed.errors == ()
    assert parsed.records[0].name == "Carrick Care Companions"


def test_a_byte_order_mark_at_the_start_is_ignored() -> None:
    parsed = parse("\ufeff" + csv_text(GOOD_ROW))
    assert parsed.errors == ()
    assert len(parsed.records) == 1


def test_a_file_saved_by_excel_as_csv_utf8_is_read(tmp_path: Path) -> None:
    path = tmp_path / "providers.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(GOOD_ROW).encode("utf-8"))
    with path.open(encoding="utf-8", newline="") as f:
        parsed = parse_provider_csv(f)
    assert parsed.errors == ()


def test_blank_rows_are_skipped() -> None:
    parsed = parse(csv_text(GOOD_ROW) + "\r\n,,,,,,,,,,,,,,,,\r\n\r\n")
    assert parsed.errors == ()
    assert len(parsed.records) == 1


def test_a_header_with_no_rows_gives_no_records_and_no_errors() -> None:
    assert parse(csv_text()) == ParsedFile(records=(), errors=())


def test_a_description_may_run_over_several_lines() -> None:
    parsed = parse(csv_text(row(description="First line.\r\nSecond line.")))
    assert parsed.records[0].description == "First line.\nSecond line."


def test_html_in_a_description_is_kept_as_text() -> None:
    parsed = parse(csv_text(row(description="<script>alert(1)</script>")))
    assert parsed.records[0].description == "<script>alert(1)</script>"


# --- Bad rows -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("name", "", "Enter the business name"),
        ("name", "A", "Must be 2 characters or more"),
        ("name", "x" * 121, "Must be 120 characters or fewer"),
        ("contact_name", "", "Enter the name of the person to contact"),
        ("email", "", "Enter an email address"),
        ("email", "not-an-email", "Enter an email address in the right format"),
        ("phone", "12345", "Enter a UK phone number"),
        ("postcode", "", "Enter a postcode"),
        ("postcode", "XYZ", "Enter a postcode in the right format"),
        ("areas_covered", "", "Enter the postcode districts covered"),
        ("areas_covered", "KA7;Ayr", "Ayr is not a postcode district"),
        ("services", "", "Choose at least one service"),
        ("services", "astrology", "Unknown service: astrology"),
        ("description", "", "Enter a description"),
        ("description", "x" * 2001, "Must be 2,000 characters or fewer"),
        ("languages", "en;bsl", "bsl is not a language code"),
        ("availability", "weekends", "weekends is not a day, a time of day or a slot"),
        ("price_per_hour", "lots", "Enter a price in pounds"),
        ("price_per_hour", "501", "Enter a price of £500 or less"),
        ("sds_options", "5", "5 is not a Self-directed Support option"),
        ("pvg_checked_on", "11/03/2026", "Enter a date in the format YYYY-MM-DD"),
        ("insurance_expires_on", "2027-02-30", "Enter a real date"),
        ("training", "first_aid", "first_aid is not a course on the list"),
        ("website", "www.example.org", "Enter a web address in the right format"),
        ("approved_on", "yesterday", "Enter a date in the format YYYY-MM-DD"),
    ],
)
def test_a_bad_cell_is_reported_with_its_line_and_column(
    column: str, value: str, message: str
) -> None:
    bad_row = {**GOOD_ROW, "email": "other@example.org", column: value}
    parsed = parse(csv_text(GOOD_ROW, bad_row))
    assert errors_of(parsed) == [(3, column)]
    assert parsed.errors[0].message.startswith(message)
    assert [record.line for record in parsed.records] == [2]


def test_training_may_be_named_as_the_form_names_it_or_as_other() -> None:
    parsed = parse(
        csv_text(
            row(
                training="Dementia Friends; first aid;FOOD-HYGIENE;Other: Makaton level 1;first-aid"
            )
        )
    )
    assert parsed.records[0].training == (
        "dementia-friends",
        "first-aid",
        "food-hygiene",
        "other:Makaton level 1",
    )


def test_an_other_course_without_its_name_is_reported() -> None:
    parsed = parse(csv_text(row(training="first-aid;Other:")))
    assert errors_of(parsed) == [(2, "training")]
    assert parsed.errors[0].message == "Enter the name of the course."
    assert parsed.errors[0].value == "first-aid;Other:"


def test_every_problem_in_a_row_is_reported() -> None:
    parsed = parse(csv_text(row(name="", email="nope", postcode="XYZ", website="ftp://x.org")))
    assert errors_of(parsed) == [(2, "name"), (2, "email"), (2, "postcode"), (2, "website")]
    assert parsed.records == ()


def test_every_bad_row_is_reported() -> None:
    parsed = parse(
        csv_text(
            row(email="a@example.org", phone="999"),
            row(email="b@example.org"),
            row(email="c@example.org", services="astrology"),
        )
    )
    assert errors_of(parsed) == [(2, "phone"), (4, "services")]
    assert [record.line for record in parsed.records] == [3]


def test_a_repeated_email_is_reported_on_the_later_line() -> None:
    parsed = parse(
        csv_text(
            row(email="same@example.org"),
            row(email="other@example.org"),
            row(email="SAME@Example.org"),
        )
    )
    assert parsed.errors == (RowError(4, "email", parsed.errors[0].message),)
    assert parsed.errors[0].message.startswith("Same email as line 2")
    assert [record.line for record in parsed.records] == [2, 3]


def test_lines_are_counted_in_the_file_not_in_rows() -> None:
    # Quoted cells can hold line breaks, so row 2 takes up lines 2 to 4.
    parsed = parse(
        csv_text(
            row(email="a@example.org", description="One\nTwo\nThree"),
            row(email="b@example.org", postcode="bad"),
        )
    )
    assert errors_of(parsed) == [(5, "postcode")]
    assert parsed.records[0].line == 2


def test_a_row_with_the_wrong_number_of_cells_is_reported() -> None:
    text = csv_text(GOOD_ROW) + "Too,few,cells\r\n"
    parsed = parse(text)
    assert errors_of(parsed) == [(3, "")]
    assert "has 3 cells but the header has 18" in parsed.errors[0].message
    assert str(parsed.errors[0]).startswith("line 3: This row has 3 cells")


# --- Bad header -----------------------------------------------------------------------------------


def test_a_missing_required_column_is_named_at_line_1() -> None:
    header = [c for c in COLUMN_NAMES if c not in ("email", "services")]
    parsed = parse(csv_text(GOOD_ROW, header=header))
    assert errors_of(parsed) == [(1, "email"), (1, "services")]
    assert parsed.errors[0].message == "Add this column to the header row"
    assert parsed.records == ()


def test_an_unknown_column_is_named_at_line_1() -> None:
    parsed = parse(csv_text(GOOD_ROW, header=[*COLUMN_NAMES, "favourite_colour"]))
    assert errors_of(parsed) == [(1, "favourite_colour")]
    assert str(parsed.errors[0]).startswith("line 1: favourite_colour: Remove this column")


def test_a_repeated_or_unnamed_column_is_reported() -> None:
    parsed = parse(csv_text(GOOD_ROW, header=[*COLUMN_NAMES, "phone", ""]))
    assert errors_of(parsed) == [(1, "phone"), (1, "")]


# --- Files that are not CSV -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\r\n", "\ufeff"])
def test_an_empty_file_is_reported(text: str) -> None:
    parsed = parse(text)
    assert parsed.records == ()
    assert len(parsed.errors) >= 1
    assert parsed.errors[0].line == 1


def test_an_empty_file_says_what_to_do() -> None:
    assert str(parse("").errors[0]) == (
        "line 1: The file is empty. Add a header row and one row for each provider"
    )


def test_an_unclosed_quote_is_reported_instead_of_swallowing_the_file() -> None:
    parsed = parse(csv_text(GOOD_ROW) + '"Unclosed,quote\r\n' + csv_text(GOOD_ROW))
    assert errors_of(parsed)[-1] == (3, "")
    assert "could not be read as CSV" in parsed.errors[-1].message


def test_a_stray_quote_is_reported() -> None:
    parsed = parse(csv_text(GOOD_ROW) + '"Carrick" Care,x\r\n')
    assert errors_of(parsed) == [(3, "")]


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "providers.csv"
    path.write_bytes(csv_text(row(name="Café Carers")).encode("cp1252"))
    with path.open(encoding="utf-8", newline="") as f:
        parsed = parse_provider_csv(f)
    assert parsed.records == ()
    assert "saved as CSV UTF-8" in parsed.errors[0].message


def test_a_spreadsheet_file_given_as_csv_is_reported() -> None:
    parsed = parse("PK\x03\x04\x14\x00\x06\x00\x08\x00!\x00binary")
    assert parsed.records == ()
    assert parsed.errors


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_is_parsed_without_raising(text: str) -> None:
    parsed = parse(text)
    assert isinstance(parsed, ParsedFile)


@given(st.lists(st.sampled_from([",", '"', "\r\n", "\n", "a", "KA7 1AA", ";"]), max_size=60))
def test_csv_punctuation_in_any_order_is_parsed_without_raising(pieces: list[str]) -> None:
    parse(csv_text() + "".join(pieces))


# --- The record and the columns are kept in step --------------------------------------------------


def test_every_column_is_a_field_of_the_record() -> None:
    fields = [field.name for field in dataclasses.fields(ProviderRecord)]
    assert fields == ["line", *COLUMN_NAMES]


def test_a_row_error_reads_as_line_column_message() -> None:
    assert str(RowError(4, "postcode", "Enter a postcode")) == "line 4: postcode: Enter a postcode"


def test_slots_in_the_file_mean_just_those_times() -> None:
    parsed = parse(csv_text(row(availability="tue-morning;thu-evening")))
    assert parsed.errors == ()
    assert parsed.records[0].availability == ("tue-morning", "thu-evening")
