"""The API's query parameters: each one the UK profile documents is honoured, or refused by
name with a 400. HSDS combines parameters with AND, so a filter silently ignored would
answer a question nobody asked (a sync with `modified_after` would download everything)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from cairn.domain.validation import DAYS, TIMES


class BadParameter(Exception):
    """A parameter Cairn cannot honour as given; the message names it and says why."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


class Args:
    """What the API reads of a request's query string (Flask's request.args)."""

    def __init__(self, args: object) -> None:
        self._args = args

    def get(self, name: str) -> str | None:
        value = self._args.get(name)  # type: ignore[attr-defined]
        return value if value is None else str(value)

    def values(self, name: str) -> list[str]:
        """Every value, from repeats (`day=MO&day=TU`) and commas (`day=MO,TU`) alike."""
        raw: Iterable[str] = self._args.getlist(name)  # type: ignore[attr-defined]
        return [part.strip() for value in raw for part in value.split(",") if part.strip()]


# Documented by the profile, but Cairn's listings hold nothing to answer them with (yet).
NOT_SUPPORTED = {
    "minimum_age": "Cairn's services record no age range, so minimum_age cannot be honoured.",
    "maximum_age": "Cairn's services record no age range, so maximum_age cannot be honoured.",
}


def refuse_unsupported(args: Args) -> None:
    for name, message in NOT_SUPPORTED.items():
        if args.get(name) is not None:
            raise BadParameter(name, message)
    if flag(args, "minimal"):
        # HSDS describes it as just each service's id and modified date, but the profile's
        # service schema requires name and status too: that answer would not be valid.
        raise BadParameter(
            "minimal",
            "minimal=true is not offered: a service of just id and last_modified would break "
            "the profile's service schema (it requires name and status). For every id, read "
            "format=ndjson; for what changed, modified_after.",
        )
    if args.get("full") is not None and not flag(args, "full"):
        raise BadParameter("full", "full=false is not supported: services come whole.")


FORMATS = ("json", "ndjson")


def wants_ndjson(args: Args) -> bool:
    """`format`: json (pages, the default) or ndjson (every match, one service a line,
    unpaged, so paging parameters are refused with it rather than ignored)."""
    value = (args.get("format") or "json").strip().lower()
    if value not in FORMATS:
        raise BadParameter("format", "format must be json or ndjson.")
    if value == "ndjson":
        for name in ("page", "per_page"):
            if args.get(name) is not None:
                raise BadParameter(
                    name, f"format=ndjson sends every service without paging: leave out {name}."
                )
    return value == "ndjson"


# ISO 8601 with a zone: 2026-12-01T00:00:00Z, 2026-12-01T09:30:00.123+01:00.
_DATE_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})", re.IGNORECASE
)


def modified_after(args: Args) -> datetime | None:
    """`modified_after`: a date and time with its zone, or None when not given. Fractions of
    a second finer than microseconds are cut (the instants compared are microseconds)."""
    raw = args.get("modified_after")
    if raw is None or raw.strip() == "":
        return None
    # A "+" sent unencoded in a query string arrives as a space: read it back as "+".
    value = re.sub(r" (\d{2}:?\d{2})$", r"+\1", raw.strip())
    message = (
        "modified_after must be a date and time with its zone, like 2026-12-01T00:00:00Z "
        "(a service's last_modified is one)."
    )
    found = _DATE_TIME.fullmatch(value)
    if not found:
        raise BadParameter("modified_after", message)
    moment, fraction, zone = found.groups()
    fraction = f".{fraction[:6]}" if fraction else ""
    try:
        return datetime.fromisoformat((moment + fraction + zone).upper())
    except ValueError:
        raise BadParameter("modified_after", message) from None


def flag(args: Args, name: str) -> bool:
    """A true-or-false parameter (absent: false)."""
    raw = args.get(name)
    if raw is None:
        return False
    value = raw.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise BadParameter(name, f"{name} must be true or false.")


def top_only(args: Args) -> bool:
    return flag(args, "top_only")


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int


def paging(args: Args, *, default: int, maximum: int) -> Paging:
    return Paging(
        page=_whole(args, "page", 1, 1, 10_000),
        per_page=_whole(args, "per_page", default, 1, maximum),
    )


def _whole(args: Args, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"\d{1,6}", raw.strip()):
        raise BadParameter(name, f"{name} must be a whole number from {low} to {high}.")
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(name, f"{name} must be a whole number from {low} to {high}.")
    return value


MAX_PROXIMITY = 500_000  # metres: further than any two places in Scotland


def proximity(args: Args) -> int | None:
    """`proximity`: metres from the centre of the `postcode`'s district (which it needs)."""
    if args.get("proximity") is None or args.get("proximity") == "":
        return None
    metres = _whole(args, "proximity", 0, 0, MAX_PROXIMITY)
    if not (args.get("postcode") or "").strip():
        raise BadParameter("proximity", "proximity needs a postcode to measure from.")
    return metres


def uuid_param(args: Args, name: str) -> UUID | None:
    raw = args.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return UUID(raw.strip())
    except ValueError:
        raise BadParameter(name, f"{name} must be an id (a UUID).") from None


# -- when: days and times of day ---------------------------------------------------------------

_DAY_WORDS = {
    **{key: key for key in DAYS},
    **dict(zip(("mo", "tu", "we", "th", "fr", "sa", "su"), DAYS, strict=True)),
    **dict(
        zip(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
            DAYS,
            strict=True,
        )
    ),
}

# Each time of day as minutes after midnight; overnight runs into the next morning.
WINDOWS = {
    "morning": (8 * 60, 12 * 60),
    "afternoon": (12 * 60, 17 * 60),
    "evening": (17 * 60, 22 * 60),
    "overnight": (22 * 60, 32 * 60),
}
assert set(WINDOWS) == set(TIMES)


def days(args: Args) -> tuple[str, ...]:
    """`day`: MO to SU (as schedules' byday writes them), or the day's English name."""
    chosen = []
    for value in args.values("day"):
        key = _DAY_WORDS.get(value.lower())
        if key is None:
            raise BadParameter(
                "day", f"day {value[:20]!r} is not a day: use MO, TU, WE, TH, FR, SA or SU."
            )
        chosen.append(key)
    return tuple(d for d in DAYS if d in chosen)


def times(args: Args) -> tuple[str, ...] | None:
    """The times of day that start at or after `start_time` and end at or before `end_time`;
    None when neither is given (no filter), () when none fits (nothing can match)."""
    start, end = _minutes(args, "start_time"), _minutes(args, "end_time")
    if start is None and end is None:
        return None
    return tuple(
        time
        for time, (opens, closes) in WINDOWS.items()
        if (start is None or opens >= start) and (end is None or closes <= end)
    )


def _minutes(args: Args, name: str) -> int | None:
    raw = args.get(name)
    if raw is None or raw.strip() == "":
        return None
    found = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d)?", raw.strip())
    if not found:
        raise BadParameter(name, f"{name} must be a time like 09:30.")
    return int(found.group(1)) * 60 + int(found.group(2))
