"""A page of read-model rows, and reading ?page=N from a URL."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Row

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


# A page of plain SQLAlchemy rows, for queries with no typed row of their own.
RowPage = Page[Row[Any]]


def clamp_page(raw: object, default: int = 1) -> int:
    """?page=N from a URL: anything odd falls back to the first page."""
    try:
        number = int(str(raw))
    except (TypeError, ValueError):
        return default
    return max(1, min(number, 100_000))
