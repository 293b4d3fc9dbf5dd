"""A small run chart of an experiment's numbered observations, drawn as inline SVG.

A run chart shows how a number moved over time, with its median for reference: no targets,
no thresholds and no red, amber or green, because the learning system is a conversation,
not a score. The same numbers are given as a table beside it (the text equivalent), so
nothing is only in the picture."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Any

WIDTH, HEIGHT = 320, 140
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28  # room for the axis labels


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    on: date
    value: Decimal


@dataclass(frozen=True)
class RunChart:
    """One unit's numbers, in date order, placed in a WIDTH × HEIGHT box."""

    unit: str
    language: str
    points: tuple[Point, ...]
    median: Decimal
    median_y: float
    low: Decimal
    high: Decimal
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_y: int = HEIGHT - BOTTOM
    top_y: int = TOP

    @property
    def path(self) -> str:
        """The line through the points, as an SVG path."""
        return " ".join(
            f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points)
        )


def run_charts(observations: Iterable[Any]) -> list[RunChart]:
    """A chart per unit of the observations that carry a number (rows with `observed_on`,
    `value`, `unit` and `language`), in the order each unit first appears."""
    by_unit: dict[str, list[Any]] = {}
    for row in observations:
        if row.value is not None:
            by_unit.setdefault(row.unit, []).append(row)
    return [_chart(unit, rows) for unit, rows in by_unit.items()]


def _chart(unit: str, rows: Sequence[Any]) -> RunChart:
    rows = sorted(rows, key=lambda r: r.observed_on)
    values = [Decimal(r.value) for r in rows]
    low, high = min(values), max(values)
    middle = Decimal(median(values))
    span = high - low
    inner_w = WIDTH - LEFT - RIGHT
    inner_h = HEIGHT - TOP - BOTTOM
    first: date = rows[0].observed_on
    days: int = (rows[-1].observed_on - first).days

    def x_of(on: date, index: int) -> float:
        if days:
            return LEFT + inner_w * (on - first).days / days
        # All on one day: spread them evenly, in the order they were written.
        return LEFT + (inner_w * index / (len(rows) - 1) if len(rows) > 1 else inner_w / 2)

    def y_of(value: Decimal) -> float:
        if not span:
            return TOP + inner_h / 2
        return TOP + inner_h * float((high - value) / span)

    points = tuple(
        Point(x_of(r.observed_on, i), y_of(v), r.observed_on, v)
        for i, (r, v) in enumerate(zip(rows, values, strict=True))
    )
    return RunChart(
        unit=unit,
        language=rows[0].language,
        points=points,
        median=middle,
        median_y=y_of(middle),
        low=low,
        high=high,
    )
