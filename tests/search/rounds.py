"""Writing an index in rounds, a commit each, so that it holds several segments (some merged)
with deleted and updated listings: the shape that per-segment caches must get right."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from uuid import UUID

from cairn.domain.directory.listing import PublicListing
from cairn.search.providers.index import SearchIndex


def rounds_of_writes(
    index: SearchIndex,
    make: Callable[[random.Random, int], PublicListing],
    rng: random.Random,
    *,
    rounds: int,
    size: int,
    churn: int,
) -> Iterator[int]:
    """Each round adds `size` new listings and deletes or updates `churn` earlier ones, then
    yields its number with the write committed."""
    for round_number in range(rounds):
        first = round_number * size
        changes: dict[str, PublicListing | None] = {
            str(UUID(int=n + 1)): make(rng, n) for n in range(first, first + size)
        }
        for gone in rng.sample(range(first + size), churn):  # deletes and updates
            changes[str(UUID(int=gone + 1))] = None if gone % 2 else make(rng, gone)
        assert index.write(changes, expected=round_number, position=round_number + 1)
        yield round_number
