"""When a provider works: slots of a day and a time of day, such as Tuesday morning.

A listing holds the slots themselves (`tue-morning`), so "Tuesday morning" means Tuesday
morning. Listings recorded before slots held days and times apart (`tue`, `morning`); those,
and import files in that older shape, read as every listed day at every listed time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cairn.domain.errors import Invalid
from cairn.domain.text import _
from cairn.domain.validation import DAYS, TIMES, split_items

SEPARATOR = "-"


def slot(day: str, time: str) -> str:
    return f"{day}{SEPARATOR}{time}"


# Every slot, in the week's order: Monday morning first, Sunday overnight last.
SLOTS = tuple(slot(day, time) for day in DAYS for time in TIMES)
_SLOT_SET = frozenset(SLOTS)
_DAY_SET = frozenset(DAYS)
_TIME_SET = frozenset(TIMES)


def day_of(token: str) -> str:
    return token.split(SEPARATOR, 1)[0]


def time_of(token: str) -> str:
    return token.split(SEPARATOR, 1)[1]


def slots_for(days: Iterable[str], times: Iterable[str]) -> tuple[str, ...]:
    """Every chosen day at every chosen time; no days means every day, no times every time."""
    day_set = set(days) or _DAY_SET
    time_set = set(times) or _TIME_SET
    return tuple(s for s in SLOTS if day_of(s) in day_set and time_of(s) in time_set)


def _slots(tokens: Iterable[str], *, strict: bool) -> tuple[str, ...]:
    chosen: set[str] = set()
    days: set[str] = set()
    times: set[str] = set()
    for raw in tokens:
        token = "-".join(raw.strip().lower().replace("_", " ").replace("-", " ").split())
        if token in _SLOT_SET:
            chosen.add(token)
        elif token in _DAY_SET:
            days.add(token)
        elif token in _TIME_SET:
            times.add(token)
        elif strict:
            raise Invalid(
                _(
                    "{value} is not a day, a time of day or a slot. Use mon to sun, morning, "
                    "afternoon, evening or overnight, or both joined, like tue-morning"
                ).format(value=raw.strip()[:40])
            )
    if days or times:
        chosen.update(slots_for(days, times))
    return tuple(s for s in SLOTS if s in chosen)


def parse_availability(items: str | Iterable[str]) -> tuple[str, ...]:
    """Slots (`tue-morning`), or days and times (`mon;tue;morning`, every day at every time),
    or both, in the week's order. A day alone means all of that day; a time alone, every day."""
    return _slots(split_items(items), strict=True)


def require_slots(tokens: Iterable[str]) -> tuple[str, ...]:
    """Slots only, as a command takes them: days and times apart would be stored ambiguous."""
    given = tuple(tokens)
    for token in given:
        if token not in _SLOT_SET:
            raise Invalid(
                _("{value} is not a day-and-time slot, like tue-morning").format(
                    value=str(token)[:40]
                )
            )
    return tuple(s for s in SLOTS if s in set(given))


def read_availability(tokens: Iterable[str]) -> tuple[str, ...]:
    """Availability as recorded at any time, as slots: the reading of old events and rows."""
    return _slots(tokens, strict=False)


@dataclass(frozen=True)
class DayGroup:
    """Days that share the same times, as a listing's summary shows them."""

    days: tuple[str, ...]
    times: tuple[str, ...]

    @property
    def is_run(self) -> bool:
        """Three or more days in a row (Monday to Friday): worded as a range."""
        if len(self.days) < 3:
            return False
        positions = [DAYS.index(d) for d in self.days]
        return positions == list(range(positions[0], positions[0] + len(positions)))


def by_day(slots: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each day that has a slot -> its times, in order."""
    chosen = set(slots)
    found = {day: tuple(t for t in TIMES if slot(day, t) in chosen) for day in DAYS}
    return {day: times for day, times in found.items() if times}


def day_groups(slots: Iterable[str]) -> tuple[DayGroup, ...]:
    """Days grouped by their times, in the order of their first day: Monday to Friday
    mornings, then Saturday evenings."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for day, times in by_day(slots).items():
        groups.setdefault(times, []).append(day)
    return tuple(DayGroup(tuple(days), times) for times, days in groups.items())
