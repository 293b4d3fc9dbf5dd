"""The filters of a search as bitsets, and the count beside each option: what ticking it gives.

Each facet is a group of checkboxes. Services combine as the person chooses, any of them or all
of them; the other groups take any of their values. Days and times are one filter on the slots
a listing holds: Tuesday with morning is Tuesday morning, a day alone is that day at any time.

An unticked option's count is the number of results the search would have once it is ticked;
a ticked option's count is how many of the current results it matches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce

from cairn.domain.availability import slot
from cairn.domain.validation import DAYS, TIMES
from cairn.search.providers.query import MATCH_ALL, SearchRequest
from cairn.search.providers.schema import FACET_NAMES, FACETS

Masks = Mapping[str, int]  # value -> bitset of the documents holding it
AVAILABILITY = "availability"  # the filter that days and times make together
_FIELD_OF = {f.name: f.field for f in FACETS}


def filter_of(name: str) -> str:
    """The filter a facet belongs to: days and times share one."""
    return AVAILABILITY if name in ("days", "times") else name


def _union(masks: Masks, values: tuple[str, ...] | list[str]) -> int:
    return reduce(lambda a, b: a | b, (masks.get(v, 0) for v in values), 0)


def _intersection(masks: Masks, values: tuple[str, ...], everything: int) -> int:
    return reduce(lambda a, b: a & b, (masks.get(v, 0) for v in values), everything)


@dataclass(frozen=True)
class FacetCounts:
    """The count beside every option of every facet, values no listing holds included."""

    held: dict[str, dict[str, int]]  # facet -> value -> count, for values some listing holds
    unheld: dict[str, int]  # facet -> the count of an unticked value that no listing holds
    chosen: Mapping[str, tuple[str, ...]]

    def count(self, name: str, value: str) -> int:
        counts = self.held.get(name, {})
        if value in counts:
            return counts[value]
        if value in self.chosen.get(name, ()):
            return 0  # ticked, and no result holds it
        return self.unheld.get(name, 0)

    @classmethod
    def none(cls) -> FacetCounts:
        """For a search that asked for no counts (the API)."""
        return cls({}, {}, {})


class Filters:
    """One request's filters on one snapshot's facet bitsets."""

    def __init__(
        self, facets: Mapping[str, Masks], request: SearchRequest, everything: int
    ) -> None:
        self._facets = facets
        self._request = request
        self._everything = everything
        self._chosen = request.facet_filters
        self.masks: dict[str, int] = {}
        for name in FACET_NAMES:
            group = filter_of(name)
            if group not in self.masks and self._has_choice(group, self._chosen):
                self.masks[group] = self.mask(group, self._chosen)

    def _masks(self, name: str) -> Masks:
        return self._facets.get(_FIELD_OF[name], {})

    @staticmethod
    def _has_choice(group: str, chosen: Mapping[str, tuple[str, ...]]) -> bool:
        if group == AVAILABILITY:
            return bool(chosen["days"] or chosen["times"])
        return bool(chosen[group])

    def mask(self, group: str, chosen: Mapping[str, tuple[str, ...]]) -> int:
        """The documents one filter lets through with these choices."""
        if group == AVAILABILITY:
            days = chosen["days"] or DAYS
            times = chosen["times"] or TIMES
            slots = self._masks("days")
            return _union(slots, [slot(d, t) for d in days for t in times])
        masks = self._masks(group)
        if group == "services" and self._request.service_match == MATCH_ALL:
            return _intersection(masks, chosen[group], self._everything)
        return _union(masks, chosen[group])

    def all_except(self, group: str | None, base: int) -> int:
        """`base` narrowed by every filter but one (None: by every filter)."""
        return reduce(lambda a, b: a & b, (m for g, m in self.masks.items() if g != group), base)

    def without_value(self, name: str, value: str) -> dict[str, int]:
        """The filters' masks with one chosen value dropped (the empty page's suggestions)."""
        chosen = dict(self._chosen)
        chosen[name] = tuple(v for v in chosen[name] if v != value)
        group = filter_of(name)
        masks = {g: m for g, m in self.masks.items() if g != group}
        if self._has_choice(group, chosen):
            masks[group] = self.mask(group, chosen)
        return masks

    # -- counts -------------------------------------------------------------------------

    def counts(self, base: int, matched: int) -> FacetCounts:
        """Each facet's options -> the count shown beside it. `base` is every document the
        search allows before filters (visible, near enough, matching the words)."""
        found: dict[str, dict[str, int]] = {}
        unheld: dict[str, int] = {}
        for name in FACET_NAMES:
            group = filter_of(name)
            others = self.all_except(group, base)
            if name in ("days", "times"):
                found[name] = self._availability_counts(name, others, matched)
            else:
                found[name] = self._value_counts(name, others, matched)
                unheld[name] = self._unheld_count(name, others)
        return FacetCounts(found, unheld, self._chosen)

    def _unheld_count(self, name: str, others: int) -> int:
        """Ticking a value no listing holds: any-of keeps the results, all-of finds none."""
        if not self._chosen[name]:
            return 0
        if name == "services" and self._request.service_match == MATCH_ALL:
            return 0
        return (others & self.masks[name]).bit_count()

    def _value_counts(self, name: str, others: int, matched: int) -> dict[str, int]:
        masks = self._masks(name)
        chosen = set(self._chosen[name])
        counts: dict[str, int] = {}
        if name == "services" and self._request.service_match == MATCH_ALL:
            current = others & self.masks.get(name, self._everything)
            for value, mask in masks.items():
                counts[value] = (
                    matched.bit_count() if value in chosen else (current & mask).bit_count()
                )
            return counts
        current = others & self.masks[name] if chosen else 0
        for value, mask in masks.items():
            if value in chosen:
                counts[value] = (matched & mask).bit_count()
            else:
                counts[value] = (current | (others & mask)).bit_count()
        return counts

    def _availability_counts(self, name: str, others: int, matched: int) -> dict[str, int]:
        slots = self._masks("days")
        days, times = self._chosen["days"], self._chosen["times"]
        if name == "days":
            chosen = days
            by_option = {d: _union(slots, [slot(d, t) for t in times or TIMES]) for d in DAYS}
        else:
            chosen = times
            by_option = {t: _union(slots, [slot(d, t) for d in days or DAYS]) for t in TIMES}
        # The results with this group's own ticks (none ticked: none of its options chosen).
        current = others & _union(by_option, chosen) if chosen else 0
        return {
            option: (matched & mask).bit_count()
            if option in chosen
            else (current | (others & mask)).bit_count()
            for option, mask in by_option.items()
        }
