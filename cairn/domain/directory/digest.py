"""Once a week the CIC's administrators are told what waits in the review queue.

One digest per ISO week (its id is made from the week), with the counts as they were when
it was made: the first sweep of the week makes it, and a second finds it already there."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


def week_of(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


class WeeklyDigest(Aggregate):
    class Made(Aggregate.Created):
        week: str
        counts: dict[str, int]  # queue kind -> how many wait

    @staticmethod
    def create_id(week: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"cairn:weekly-digest:{week}")

    @event(Made)
    def __init__(self, week: str, counts: Mapping[str, int]) -> None:
        self.week = week
        self.counts = dict(counts)
