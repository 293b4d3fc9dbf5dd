"""Words for the directory's codes (days, times, SDS options, languages), translated."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from cairn.domain.availability import (
    SLOTS,
    DayGroup,
    day_groups,
    day_of,
    read_availability,
    time_of,
)
from cairn.domain.directory.training import course_name
from cairn.domain.service_types import all_service_types
from cairn.domain.text import Text
from cairn.domain.validation import DAYS, LANGUAGE_CODES, TIMES
from cairn.web.i18n import locale_key, service_label, translate

DAY_LABELS = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}
# One set of words for days, times and SDS options: the provider's form, the public search and
# profile, and the admin history all show these. (The form once said "Mornings" where search said
# "Morning", and worded SDS differently; the form's plural times and its SDS wording, which reads
# right to a provider and to the public alike, are the ones kept.)
TIME_LABELS = {
    "morning": _l("Mornings"),
    "afternoon": _l("Afternoons"),
    "evening": _l("Evenings"),
    "overnight": _l("Overnight"),
}
SDS_LABELS = {
    "1": _l("Option 1: a direct payment"),
    "2": _l("Option 2: the person chooses, the council arranges and pays"),
    "3": _l("Option 3: the council chooses and arranges"),
    "4": _l("Option 4: a mix of options 1 to 3"),
}


def language_label(code: str) -> str:
    """'gd' -> 'Scottish Gaelic' (or 'Gàidhlig' for Gaelic readers)."""
    try:
        locale = Locale.parse(str(get_locale() or "en"))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return str(locale.languages.get(code) or english_language_name(code))


def english_language_name(code: str) -> str:
    """'gd' -> 'Scottish Gaelic', whoever asks (the ORUK API speaks English); the code itself
    for a code Babel does not name."""
    return str(Locale("en").languages.get(code) or code)


def training_label(key: str) -> str:
    """A recorded course by its name in the reader's language (cairn.domain.directory.training:
    the one list), a named "other" course by its name, never by its key."""
    name = course_name(key)
    return translate(name) if isinstance(name, Text) else name


def facet_label(facet: str, value: str) -> str:
    """The label of a facet value in the reader's language (remembered: a search page shows
    about seventy, and each translation lookup walks Flask-Babel's context)."""
    return _facet_label(locale_key(), facet, value)


class Labels:
    """Facet labels for one page: finds the reader's language once, then looks up many."""

    def __init__(self) -> None:
        self._locale = locale_key()

    def __call__(self, facet: str, value: str) -> str:
        return _facet_label(self._locale, facet, value)

    def services(self, keys: Iterable[str]) -> str:
        """'Personal care, Gardening' (unknown keys as they are), like i18n.service_labels."""
        return ", ".join(_facet_label(self._locale, "services", key) for key in keys if key)

    def availability(self, slots: Iterable[str]) -> str:
        """Slots as days grouped by their times: 'Monday to Friday: Mornings, Afternoons;
        Saturday: Evenings' ("" when none is recorded)."""
        return _availability_text(self._locale, tuple(slots))

    def day_group(self, group: DayGroup) -> tuple[str, str]:
        """One group's days and times in words: ('Monday to Friday', 'Mornings, Afternoons')."""
        return _day_group_text(self._locale, group)


def slot_choices() -> list[tuple[str, LazyString]]:
    """Every slot with its name for a checkbox: ('tue-morning', 'Tuesday, Mornings')."""
    return [
        (
            slot,
            _l("%(day)s, %(time)s", day=DAY_LABELS[day_of(slot)], time=TIME_LABELS[time_of(slot)]),
        )
        for slot in SLOTS
    ]


def availability_labels(slots: Iterable[str]) -> str:
    """Slots in words, e.g. 'Saturday, Sunday: Evenings', in the reader's language."""
    return Labels().availability(slots)


@lru_cache(maxsize=1024)
def _availability_text(locale: str, tokens: tuple[str, ...]) -> str:
    slots = read_availability(tokens)  # a draft saved before slots holds days and times
    if not slots:
        return ""
    if set(slots) == set(SLOTS):
        return str(_l("Any day, any time"))
    parts = []
    for group in day_groups(slots):
        days, times = _day_group_text(locale, group)
        parts.append(str(_l("%(days)s: %(times)s", days=days, times=times)))
    return "; ".join(parts)


def _day_group_text(locale: str, group: DayGroup) -> tuple[str, str]:
    if len(group.days) == len(DAYS):
        days = str(_l("Every day"))
    elif group.is_run:
        days = str(
            _l(
                "%(first)s to %(last)s",
                first=_facet_label(locale, "days", group.days[0]),
                last=_facet_label(locale, "days", group.days[-1]),
            )
        )
    else:
        days = ", ".join(_facet_label(locale, "days", d) for d in group.days)
    if len(group.times) == len(TIMES):
        times = str(_l("Any time"))
    else:
        times = ", ".join(_facet_label(locale, "times", t) for t in group.times)
    return days, times


@lru_cache(maxsize=4096)
def _facet_label(locale: str, facet: str, value: str) -> str:
    # `locale` is only the cache key: the lookups below use the request's own locale.
    if facet == "services":
        return service_label(value)
    if facet == "days":
        return str(DAY_LABELS.get(value, value))
    if facet == "times":
        return str(TIME_LABELS.get(value, value))
    if facet == "sds":
        return str(SDS_LABELS.get(value, value))
    if facet == "languages":
        return language_label(value)
    return value


def facet_options(facet: str, present: Iterable[str]) -> list[str]:
    """The values to offer for a facet, in a sensible fixed order."""
    if facet == "services":
        return [t.key for t in all_service_types()]
    if facet == "days":
        return list(DAY_LABELS)
    if facet == "times":
        return list(TIME_LABELS)
    if facet == "sds":
        return list(SDS_LABELS)
    # Languages: those some listing offers, English first, then by name (the remembered name:
    # naming a language afresh parses a Babel locale).
    return sorted(set(present) | {"en"}, key=lambda c: (c != "en", facet_label("languages", c)))


def written_language_choices() -> list[tuple[str, str]]:
    """Every language a text may be written in, as form choices in the reader's language:
    English and Gàidhlig first (the interface's own), then the rest by name."""
    ours = ["en", "gd"]
    rest = sorted(
        (code for code in LANGUAGE_CODES if code not in ours),
        key=lambda code: facet_label("languages", code).casefold(),
    )
    return [(code, facet_label("languages", code)) for code in [*ours, *rest]]
