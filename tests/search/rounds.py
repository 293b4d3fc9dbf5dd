"""Writing an index in rounds, a commit each, so that it holds several segments (some merged)
with deleted and updated listings: the shape that per-segment caches must get right. The
listings are made from a few words, so that searches for them match many."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from uuid import UUID

from cairn.domain.directory.listing import PublicListing
from cairn.search.providers.index import SearchIndex
from tests.support.listings import public_listing

WORDS = ["garden", "meals", "company", "walks", "dementia", "shopping", "gaelic", "pets"]
BASE = public_listing(
    0,
    "",
    description="",
    services=("gardening",),
    availability=("mon-morning", "mon-afternoon", "mon-evening", "mon-overnight"),
    price_per_hour=Decimal("18.00"),
    email="pat@example.org",
)


def listing(rng: random.Random, n: int) -> PublicListing:
    return replace(
        BASE,
        provider_id=UUID(int=n + 1),
        name=f"{rng.choice(WORDS).title()} Friends {n}",
        description=" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))),
    )


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
