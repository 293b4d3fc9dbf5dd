"""Every goal a benchmark checks, with its figure and whether it was met: `python -m bench`
prints them all in one table at the end (issue #22, part 9).

A goal stated for the big size (100,000 listings, 1M events) is judged at the size that ran;
the row says which size that was, so a small run's "met" is never read as the big one's."""

from __future__ import annotations

from dataclasses import dataclass

from bench.common import print_table


@dataclass(frozen=True)
class Goal:
    area: str
    goal: str
    figure: str
    met: bool
    measured_at: str  # the size or setting the figure comes from


_GOALS: list[Goal] = []


def record(area: str, goal: str, figure: str, met: bool, measured_at: str) -> None:
    _GOALS.append(Goal(area, goal, figure, met, measured_at))


def recorded() -> list[Goal]:
    return list(_GOALS)


def print_summary() -> None:
    if not _GOALS:
        return
    met = sum(goal.met for goal in _GOALS)
    print_table(
        f"Summary: {met} of {len(_GOALS)} goals met",
        ["area", "goal", "figure", "measured at", "met?"],
        [[g.area, g.goal, g.figure, g.measured_at, "met" if g.met else "NOT MET"] for g in _GOALS],
    )
