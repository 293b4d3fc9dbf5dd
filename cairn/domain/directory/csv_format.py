"""Reads the provider import CSV (format: shared/samples/README.md) into checked records.

Nothing here changes the directory: the caller imports the records only if there are no errors,
so one bad row stops the whole file and every problem is reported at once for fixing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TextIO, cast

from cairn.domain.directory.fields import LISTING_SPEC, TUPLE_KINDS
from cairn.domain.directory.training import parse_courses
from cairn.domain.validation import Invalid, _, parse_date


@dataclass(frozen=True)
class ProviderRecord:
    """One valid row, every field in its canonical form."""

    line: int
    name: str
    contact_name: str
    email: str
    phone: str | None
    postcode: str
    areas_covered: tuple[str, ...]
    services: tuple[str, ...]
    description: str
    description_language: str
    languages: tuple[str, ...]
    availability: tuple[str, ...]
    price_per_hour: Decimal | None
    sds_options: tuple[str, ...]
    website: str | None
    pvg_checked_on: date | None
    insurance_expires_on: date | None
    training: tuple[str, ...]
    approved_on: date | None


@dataclass(frozen=True)
class RowError:
    """One problem in the file. line is the physical line (header = 1) where the row starts;
    column is empty for problems with the file or row as a whole."""

    line: int
    column: str
    message: str
    # What the cell held, and the row's provider name, so a person can find the row without
    # counting lines. Not part of what the error is (two reports of one problem are equal).
    value: str = field(default="", compare=False)
    provider: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"line {self.line}: {self.column}: " if self.column else f"line {self.line}: "
        found = []
        if self.value.strip():
            found.append(f'found "{_shortened(self.value)}"')
        if self.provider:
            found.append(f"in the row for {self.provider}")
        return where + str(self.message) + (f" ({', '.join(found)})" if found else "")


def _shortened(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass(frozen=True)
class ParsedFile:
    records: tuple[ProviderRecord, ...]
    errors: tuple[RowError, ...]


@dataclass(frozen=True)
class _Column:
    name: str
    parse: Callable[[str], object]
    # The message for an empty cell in a required column; None means the column is optional.
    missing_message: str | None = None
    # What an empty cell in an optional column means.
    empty: object = None


# The listing's columns come from its field specification; the checks' columns follow. This is
# also the order errors in one row are reported in.
COLUMNS = (
    *(
        _Column(
            f.csv_column,
            f.parse,
            f.missing_message,
            empty=f.default if f.default is not None else (() if f.kind in TUPLE_KINDS else None),
        )
        for f in LISTING_SPEC
        if f.csv_column is not None
    ),
    _Column("pvg_checked_on", parse_date),
    _Column("insurance_expires_on", parse_date),
    _Column("training", parse_courses, empty=()),
    _Column("approved_on", parse_date),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMN_NAMES = tuple(c.name for c in COLUMNS if c.missing_message is not None)


class _UnreadableFileError(Exception):
    """The file cannot be read as CSV text at all; carries the error to report."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


def parse_provider_csv(stream: TextIO) -> ParsedFile:
    """Checks every row of a provider CSV; never raises for bad content, it reports it."""
    rows = _numbered_rows(stream)
    records: list[ProviderRecord] = []
    errors: list[RowError] = []
    try:
        header = next(rows, None)
        if header is None:
            message = _("The file is empty. Add a header row and one row for each provider")
            return ParsedFile((), (RowError(1, "", message),))
        columns, header_errors = _read_header(header[1])
        if header_errors:
            return ParsedFile((), tuple(header_errors))
        first_line_of_email: dict[str, int] = {}
        for line, cells in rows:
            if not any(cell.strip() for cell in cells):
                continue  # Spreadsheets often leave blank rows at the end.
            record, row_errors = _read_row(line, columns, cells, first_line_of_email)
            errors.extend(row_errors)
            if record is not None:
                records.append(record)
    except _UnreadableFileError as unreadable:
        errors.append(unreadable.error)
    return ParsedFile(tuple(records), tuple(errors))


def _numbered_rows(stream: TextIO) -> Iterator[tuple[int, list[str]]]:
    """Yields (first physical line of the row, cells); quoted cells may span several lines."""
    # strict: a stray or unclosed quote is an error, rather than silently swallowing rows.
    reader = csv.reader(stream, strict=True)
    line_num = 0
    while True:
        start = line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            message = _(
                "This row could not be read as CSV ({detail}). "
                "Check its quote marks, then save the file as CSV again"
            )
            raise _UnreadableFileError(RowError(start, "", message.format(detail=error))) from None
        except UnicodeDecodeError:
            message = _("The file must be saved as CSV UTF-8. Save it again in that format")
            raise _UnreadableFileError(RowError(start, "", message)) from None
        line_num = reader.line_num
        if start == 1 and cells:
            # Excel's "CSV UTF-8" starts with a byte order mark; it is not part of the name.
            cells[0] = cells[0].removeprefix("\ufeff")
        yield start, cells


def _read_header(header: list[str]) -> tuple[list[str], list[RowError]]:
    columns = [cell.strip().lower() for cell in header]
    errors: list[RowError] = []
    seen: set[str] = set()
    for column in columns:
        if not column:
            errors.append(RowError(1, "", _("Remove the column with no name from the header row")))
        elif column not in COLUMN_NAMES:
            message = _("Remove this column or correct its name: it is not one we can import")
            errors.append(RowError(1, column, message))
        elif column in seen:
            errors.append(RowError(1, column, _("Remove this column: it appears more than once")))
        seen.add(column)
    for required in REQUIRED_COLUMN_NAMES:
        if required not in seen:
            errors.append(RowError(1, required, _("Add this column to the header row")))
    return columns, errors


def _read_row(
    line: int, columns: list[str], cells: list[str], first_line_of_email: dict[str, int]
) -> tuple[ProviderRecord | None, list[RowError]]:
    if len(cells) != len(columns):
        message = _(
            "This row has {cells} cells but the header has {columns}. "
            "Check for missing or extra commas"
        ).format(cells=len(cells), columns=len(columns))
        at = columns.index("name") if "name" in columns else len(cells)
        named = cells[at] if at < len(cells) else ""
        return None, [RowError(line, "", message, provider=" ".join(named.split())[:200])]
    raw = dict(zip(columns, cells, strict=True))
    provider = " ".join(raw.get("name", "").split())[:200]
    values: dict[str, object] = {}
    errors: list[RowError] = []
    for column in COLUMNS:
        text = raw.get(column.name, "")
        try:
            values[column.name] = _read_cell(column, text)
        except Invalid as invalid:
            errors.append(RowError(line, column.name, invalid.message, text, provider))
    email = values.get("email")
    if isinstance(email, str):
        email_key = email.casefold()
        if email_key in first_line_of_email:
            message = _("Same email as line {line}. Each provider needs its own email address")
            message = message.format(line=first_line_of_email[email_key])
            errors.append(RowError(line, "email", message, email, provider))
        else:
            first_line_of_email[email_key] = line
    if errors:
        return None, errors
    # COLUMNS and ProviderRecord's fields are kept in step (a test checks), so the types match.
    return ProviderRecord(line=line, **cast("dict[str, Any]", values)), []


def _read_cell(column: _Column, text: str) -> object:
    if text.strip():
        return column.parse(text)
    if column.missing_message is not None:
        raise Invalid(column.missing_message)
    return column.empty
