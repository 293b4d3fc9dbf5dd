"""Time comes in from the edge so that the domain stays deterministic under test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(tz=UTC)


def today(clock: Clock) -> date:
    return clock().date()
