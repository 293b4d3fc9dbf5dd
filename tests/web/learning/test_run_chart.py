"""The run chart's geometry: what the SVG draws from numbered observations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cairn.web.learning.run_chart import HEIGHT, LEFT, TOP, WIDTH, run_charts


@dataclass(frozen=True)
class Row:
    observed_on: date
    value: Decimal | None
    unit: str = "people"
    language: str = "en"


def test_points_run_left_to_right_by_date_with_the_highest_at_the_top() -> None:
    [chart] = run_charts(
        [
            Row(date(2026, 3, 11), Decimal(7)),
            Row(date(2026, 3, 1), Decimal(4)),
            Row(date(2026, 3, 21), Decimal(6)),
        ]
    )
    assert [p.on.day for p in chart.points] == [1, 11, 21]
    xs = [p.x for p in chart.points]
    assert xs[0] == LEFT and xs == sorted(xs) and xs[-1] < WIDTH
    assert xs[1] - xs[0] == xs[2] - xs[1]  # ten days apart, the same distance apart
    top = min(chart.points, key=lambda p: p.y)
    assert top.value == 7 and top.y == TOP
    assert max(p.y for p in chart.points) < HEIGHT
    assert chart.median == 6 and chart.points[2].y == chart.median_y
    assert chart.path.startswith(f"M{LEFT:.1f},")


def test_each_unit_has_its_own_chart_and_unnumbered_observations_are_left_out() -> None:
    charts = run_charts(
        [
            Row(date(2026, 3, 1), Decimal(4)),
            Row(date(2026, 3, 2), None, unit=""),
            Row(date(2026, 3, 3), Decimal(2), unit="visits"),
        ]
    )
    assert [(c.unit, len(c.points)) for c in charts] == [("people", 1), ("visits", 1)]


def test_numbers_on_one_day_or_all_equal_still_draw_inside_the_box() -> None:
    [chart] = run_charts([Row(date(2026, 3, 1), Decimal(5)), Row(date(2026, 3, 1), Decimal(5))])
    assert chart.points[0].x < chart.points[1].x
    assert all(TOP < p.y < HEIGHT for p in chart.points)
