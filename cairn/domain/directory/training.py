"""The training courses the CIC records: one list of keys with their names, plus "other".

Events keep the key ("first-aid"); a course not on the list is kept as `other:<its name>`, so
every page shows a name and never a key. Keys an older version accepted (any lower-case slug)
stay readable: `course_name` makes words of them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cairn.domain.errors import DomainError, Invalid
from cairn.domain.text import Text, _
from cairn.domain.validation import split_items

OTHER = "other"
_OTHER_PREFIX = OTHER + ":"
MAX_OTHER_NAME = 100

# The list the admin chooses from, in the order it is shown (the labels are translated at
# display: Gaelic names are in the catalogue).
COURSES: dict[str, Text] = {
    "first-aid": _("First aid"),
    "adult-support-and-protection": _("Adult support and protection"),
    "dementia-friends": _("Dementia Friends"),
    "moving-and-handling": _("Moving and handling"),
    "food-hygiene": _("Food hygiene"),
    "medication-awareness": _("Medication awareness"),
    "infection-prevention-and-control": _("Infection prevention and control"),
    "mental-health-first-aid": _("Mental health first aid"),
}
# Keys recorded before the list was kept: still named, no longer offered.
FORMER_COURSES: dict[str, Text] = {
    "medication": _("Medication"),
    "dementia-awareness": _("Dementia awareness"),
}


def course_key(course: str, other_name: str = "") -> str:
    """The key to record for a choice from the list, or for "other" and its name."""
    if course in COURSES:
        return course
    if course == OTHER:
        name = " ".join(other_name.split())
        if not name:
            raise DomainError(_("Enter the name of the course."))
        if len(name) > MAX_OTHER_NAME:
            raise DomainError(_("Enter a course name of 100 characters or fewer."))
        return _OTHER_PREFIX + name
    raise DomainError(_("Choose a course from the list, or choose Other and name it."))


def is_other(key: str) -> bool:
    return key.startswith(_OTHER_PREFIX)


def course_name(key: str) -> str | Text:
    """What to call a recorded course: its label, the name typed for "other", or (a key from
    before the list) its words."""
    if key.startswith(_OTHER_PREFIX):
        return key.removeprefix(_OTHER_PREFIX)
    label = COURSES.get(key) or FORMER_COURSES.get(key)
    if label is not None:
        return label
    return key.replace("-", " ").capitalize()


# A key as typed in an import file: an older version accepted any lower-case slug.
_KEY = re.compile(r"[a-z0-9-]{1,60}")


def _folded(words: str) -> str:
    return " ".join(words.split()).casefold()


_BY_NAME = {_folded(str(label)): key for key, label in {**COURSES, **FORMER_COURSES}.items()}


def parse_courses(items: str | Iterable[str]) -> tuple[str, ...]:
    """The training column of an import file: `;`-separated courses, each a key from the list
    ("first-aid"), a name from the list ("Dementia Friends", any case) or "Other: <its name>".
    Repeats are dropped and the order kept; anything else is named in the message."""
    keys: list[str] = []
    for item in split_items(items):
        keys.append(_course_from_import(item))
    return tuple(dict.fromkeys(keys))


def _course_from_import(item: str) -> str:
    head, colon, rest = item.partition(":")
    if colon and _folded(head) == OTHER:
        try:
            return course_key(OTHER, rest)
        except DomainError as refused:
            raise Invalid(refused.message) from None  # the report echoes the value
    if _folded(item) in _BY_NAME:
        return _BY_NAME[_folded(item)]
    key = item.lower()
    if _KEY.fullmatch(key):
        return key
    raise Invalid(
        _(
            "{value} is not a course on the list. Use its name or key, like First aid or "
            "first-aid, or write Other: and the course's name"
        ).format(value=item)
    )
