"""Checks and tidies values that people type, whichever way they reach us (web form or CSV import).

Every function either returns the value in one canonical form or raises `Invalid` with a short,
plain-English message that says what to do. Messages are wrapped in `_` so Babel can extract them.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

from email_validator import EmailNotValidError, validate_email

# Invalid is defined with the domain's other errors; most callers import it from here.
from cairn.domain.errors import Invalid as Invalid
from cairn.domain.money import MoneyRule, parse_pounds

# `_` marks a message for translation; it lives in cairn.domain.text and is re-exported from here.
from cairn.domain.text import _ as _

# --- Lists of items -------------------------------------------------------------------------------


_SEMICOLONS = re.compile(";")
_SEMICOLONS_COMMAS_SPACES = re.compile(r"[;,\s]")


def split_items(
    text_or_items: str | Iterable[str], *, also_commas_and_spaces: bool = False
) -> list[str]:
    """Splits a `;`-separated string (or each string of an iterable) into stripped, non-empty items.

    Iterables are split too, so a form field holding "mon;tue" behaves like two ticked boxes.
    """
    pieces = [text_or_items] if isinstance(text_or_items, str) else list(text_or_items)
    separator = _SEMICOLONS_COMMAS_SPACES if also_commas_and_spaces else _SEMICOLONS
    items = (part.strip() for piece in pieces for part in separator.split(piece))
    return [item for item in items if item]


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    """Drops repeats, keeping the first occurrence's position."""
    return tuple(dict.fromkeys(items))


# --- Postcodes ------------------------------------------------------------------------------------

# Format only, not the Royal Mail letter-position rules: a typo check, not an address lookup, and
# it must not turn away a real postcode we have not thought of.
_DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
_POSTCODE = re.compile(r"(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?)(?P<inward>[0-9][A-Z]{2})")
_GIROBANK = "GIR0AA"  # The one postcode outside the normal pattern.


def _compact(text: str) -> str:
    """Removes every kind of space; checks ASCII before upper-casing so 'ı' cannot become 'I'."""
    compact = "".join(text.split())
    return compact.upper() if compact.isascii() else ""


def normalise_postcode(text: str) -> str:
    """A full UK postcode in any case or spacing -> 'KA7 1AA'."""
    compact = _compact(text)
    if compact == _GIROBANK:
        return "GIR 0AA"
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        raise Invalid(_("Enter a postcode in the right format, like KA7 1AA"))
    return f"{match['outward']} {match['inward']}"


def outward_code(postcode: str) -> str:
    """The district part of a postcode: 'KA7 1AA' -> 'KA7'."""
    return normalise_postcode(postcode).split(" ")[0]


def normalise_district(text: str) -> str:
    """An outward code alone ('ka7', 'EH1', 'G2', 'W1A') -> 'KA7'."""
    compact = _compact(text)
    # A space inside means something else, such as the start of a full postcode ("KA7 1").
    is_one_word = len(text.split()) == 1
    if is_one_word and (compact == "GIR" or _DISTRICT.fullmatch(compact)):
        return compact
    raise Invalid(_("Enter a postcode district in the right format, like KA7 or EH1"))


def district_from_input(text: str) -> str:
    """Someone typed where they are: a full postcode or just a district. Returns the district."""
    try:
        # A district is one word of at most 4 characters and a postcode at least 5 characters,
        # so the two never overlap.
        if len(text.split()) == 1 and len(text.strip()) <= 4:
            return normalise_district(text)
        return outward_code(text)
    except Invalid:
        raise Invalid(_("Enter a postcode or postcode district, like KA7 1AA or KA7")) from None


def normalise_districts(text_or_items: str | Iterable[str]) -> tuple[str, ...]:
    """Districts separated by ';', ',' or spaces -> ('KA7', 'KA8'); repeats dropped, order kept."""
    districts: list[str] = []
    for item in split_items(text_or_items, also_commas_and_spaces=True):
        try:
            districts.append(normalise_district(item))
        except Invalid:
            raise Invalid(
                _("{value} is not a postcode district. Enter districts like KA7 or EH1").format(
                    value=item
                )
            ) from None
    return _unique(districts)


# --- Contact details ------------------------------------------------------------------------------


def normalise_email(text: str) -> str:
    """Checks the syntax only (no DNS look-up, so it works offline); lower-cases the domain."""
    try:
        result = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise Invalid(
            _("Enter an email address in the right format, like name@example.com")
        ) from None
    return result.normalized


_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_UK_NATIONAL = re.compile(r"0[12378][0-9]{8,9}")


def normalise_uk_phone(text: str) -> str:
    """A UK number typed any common way -> '01292 500000', '0131 496 0000', '07700 900123'."""
    digits = _PHONE_SEPARATORS.sub("", text)
    for international in ("+44", "0044"):
        if digits.startswith(international):
            # "+44 (0)1292 ..." is a common way to write it: the 0 is dropped when dialling in.
            digits = "0" + digits.removeprefix(international).removeprefix("0")
            break
    if not (digits.isascii() and _UK_NATIONAL.fullmatch(digits)):
        raise Invalid(_("Enter a UK phone number, like 01292 500000 or 07700 900123"))
    # Only some landline and freephone numbers are one digit short; mobiles never are.
    if len(digits) == 10 and digits[1] not in "18":
        raise Invalid(_("Enter a UK phone number, like 01292 500000 or 07700 900123"))
    return _group_phone_digits(digits)


def _group_phone_digits(digits: str) -> str:
    """Spaces a valid national number the way it is usually printed, so people can read it."""
    if len(digits) == 10:
        return f"{digits[:5]} {digits[5:]}" if digits[1] == "1" else f"{digits[:4]} {digits[4:]}"
    prefix = digits[1]
    big_city = prefix == "1" and "1" in (digits[2], digits[3])  # 0131 Edinburgh, 0114 Sheffield...
    if prefix in "38" or big_city:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if prefix == "2":
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return f"{digits[:5]} {digits[5:]}"


_MAX_URL_LENGTH = 2000


def normalise_url(text: str) -> str:
    """An http(s) web address with a real-looking host; scheme and host lower-cased."""
    candidate = text.strip()
    if len(candidate) > _MAX_URL_LENGTH:
        raise Invalid(_("Web address must be 2,000 characters or fewer"))
    message = _("Enter a web address in the right format, like https://www.example.org")
    if not candidate or any(ch.isspace() or _is_control(ch) for ch in candidate):
        raise Invalid(message)
    parts = urlsplit(candidate)
    try:
        host, port = parts.hostname, parts.port
    except ValueError:  # e.g. a port that is not a number
        raise Invalid(message) from None
    scheme = parts.scheme.lower()
    # "https://bank.example@evil.example" misleads readers, and a listing never needs a password.
    has_credentials = "@" in parts.netloc
    if host is None or scheme not in ("http", "https") or has_credentials:
        raise Invalid(message)
    if not _is_web_host(host):
        raise Invalid(message)
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))


def _is_web_host(host: str) -> bool:
    if host == "localhost":
        return True
    labels = host.split(".")
    return len(labels) > 1 and all(_is_host_label(label) for label in labels)


def _is_host_label(label: str) -> bool:
    return (
        0 < len(label) <= 63
        and all(ch.isalnum() or ch == "-" for ch in label)
        and not label.startswith("-")
        and not label.endswith("-")
    )


# --- Dates and money ------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(text: str) -> datetime.date:
    """'2026-03-11' -> date(2026, 3, 11). Only this one format, so day and month cannot swap."""
    candidate = text.strip()
    if not _ISO_DATE.fullmatch(candidate):
        raise Invalid(_("Enter a date in the format YYYY-MM-DD, like 2026-03-11"))
    try:
        return datetime.date.fromisoformat(candidate)
    except ValueError:
        raise Invalid(_("Enter a real date, like 2026-03-11")) from None


def parse_day_month_year(day: str, month: str, year: str) -> datetime.date:
    """A date typed as the design system's three boxes: '7', '3', '2026' -> date(2026, 3, 7).
    Each message names the part that is wrong, so the person fixes only that box."""
    parts = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    if not any(parts.values()):
        raise Invalid(_("Enter a date"))
    if not parts["day"]:
        raise Invalid(_("The date must include a day"))
    if not parts["month"]:
        raise Invalid(_("The date must include a month"))
    if not parts["year"]:
        raise Invalid(_("The date must include a year"))
    if not all(value.isascii() and value.isdigit() for value in parts.values()):
        raise Invalid(_("Enter the day, month and year as numbers, like 27 3 2026"))
    if len(parts["year"]) != 4:
        raise Invalid(_("The year must have 4 numbers, like 2026"))
    try:
        return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        raise Invalid(_("Enter a real date, like 27 3 2026")) from None


MAX_PRICE_PER_HOUR = Decimal(500)
PRICE_PER_HOUR = MoneyRule(
    maximum=MAX_PRICE_PER_HOUR,
    not_money=_("Enter a price in pounds, like 18.50"),
    not_more_than_nothing=_("Enter a price more than £0"),
    too_much=_("Enter a price of £500 or less"),
    not_to_the_penny=_("Enter the price to the nearest penny, like 18.50"),
)


def parse_price(text: str) -> Decimal:
    """Pounds with an optional '£': '£18.5' -> Decimal('18.50'). More than 0 and at most 500."""
    return parse_pounds(text, PRICE_PER_HOUR)


# --- Free text ------------------------------------------------------------------------------------

_LINE_SEPARATORS = ("\r\n", "\r", "\u2028", "\u2029")


def _is_control(ch: str) -> bool:
    # Cc: C0/C1 control codes. Cs: lone surrogates, which cannot even be saved as UTF-8.
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029"


def clean_text(text: str, *, max_length: int, min_length: int = 1, multiline: bool = False) -> str:
    """Trims text and checks its length and characters.

    HTML is NOT stripped: it is stored as typed and escaped when shown.
    """
    # NFC so that the same-looking text is the same string (lengths, searching, duplicates).
    cleaned = unicodedata.normalize("NFC", text)
    if multiline:
        for separator in _LINE_SEPARATORS:
            cleaned = cleaned.replace(separator, "\n")
    cleaned = cleaned.strip()
    allowed = "\n\t" if multiline else ""
    if not multiline and any(ch in "\r\n\u2028\u2029" for ch in cleaned):
        raise Invalid(_("Remove the line breaks so this fits on one line"))
    if any(_is_control(ch) and ch not in allowed for ch in cleaned):
        raise Invalid(_("Remove tabs and other hidden characters"))
    if not cleaned and min_length > 0:
        raise Invalid(_("Enter some text"))
    if len(cleaned) < min_length:
        raise Invalid(_("Must be {count} characters or more").format(count=min_length))
    if len(cleaned) > max_length:
        raise Invalid(_("Must be {count} characters or fewer").format(count=f"{max_length:,}"))
    return cleaned


# --- Vocabularies used across the product ---------------------------------------------------------

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIMES = ("morning", "afternoon", "evening", "overnight")
# The four Self-directed Support options set out in Scottish Government guidance.
SDS_OPTIONS = ("1", "2", "3", "4")

# ISO 639-1: every two-letter language code. Sign languages have no two-letter code (BSL is
# 'bfi' in ISO 639-3), so they cannot be recorded here.
_ISO_639_1 = """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht
    hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky
    la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny
    oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss
    st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo
    za zh zu
"""
LANGUAGE_CODES = frozenset(_ISO_639_1.split())


# What a text is taken to be written in when nobody said: everything written before Cairn
# recorded it was English.
DEFAULT_TEXT_LANGUAGE = "en"


def parse_language(text: str) -> str:
    """One two-letter ISO 639-1 code, such as the language a description is written in."""
    code = text.strip().lower()
    if code not in LANGUAGE_CODES:
        raise Invalid(
            _("{value} is not a language code. Use two-letter codes, like en or gd").format(
                value=text.strip()[:20]
            )
        )
    return code


def parse_sds_options(items: str | Iterable[str]) -> tuple[str, ...]:
    """Self-directed Support options -> ('1', '3') in numeric order."""
    options = split_items(items)
    for option in options:
        if option not in SDS_OPTIONS:
            raise Invalid(
                _("{value} is not a Self-directed Support option. Use 1, 2, 3 or 4").format(
                    value=option
                )
            )
    return tuple(option for option in SDS_OPTIONS if option in options)


def parse_languages(items: str | Iterable[str]) -> tuple[str, ...]:
    """Two-letter ISO 639-1 codes -> lower case, repeats dropped, order kept (first = main)."""
    codes: list[str] = []
    for item in split_items(items):
        if item.lower() not in LANGUAGE_CODES:
            raise Invalid(
                _("{value} is not a language code. Use two-letter codes, like en or gd").format(
                    value=item
                )
            )
        codes.append(item.lower())
    return _unique(codes)
