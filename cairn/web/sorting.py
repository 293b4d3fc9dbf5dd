"""Sortable tables: which column a page is sorted by, read from `?sort=` (`name`, or `-name` for
the other way). Server-side, so sorting is a link that works without JavaScript; the headers'
links and `aria-sort` come from the `sort_header` macro in _tables.html."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool = False

    @property
    def arg(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def aria(self, key: str) -> str | None:
        """The header's aria-sort: only the sorted column has one."""
        if key != self.key:
            return None
        return "descending" if self.descending else "ascending"

    def next_arg(self, key: str) -> str:
        """What the header's link asks for: the sorted column turns around, another starts
        ascending."""
        if key == self.key and not self.descending:
            return f"-{key}"
        return key


def chosen_sort(raw: str | None, allowed: Collection[str], default: str) -> Sort:
    """The sort asked for, if it is one of `allowed`; anything else is the default."""
    text = (raw or "").strip()[:40]
    key = text.removeprefix("-")
    if key not in allowed:
        return Sort(default)
    return Sort(key, descending=text.startswith("-"))
