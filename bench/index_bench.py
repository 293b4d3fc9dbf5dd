"""Rebuilding the provider index: one writer and one commit, against the raw rate at which
the same documents are made.

Listings go straight into the index (the event store is bypassed: loading providers is the
projection benchmark's business). The baseline is `to_document` over every listing, the
part of indexing that is Cairn's own Python and that no writer can skip, measured in the
same run; the ratio is rebuild rate / document rate (1.0 would mean the index's writing
is free). The goal is 100,000 listings in at most 30 s (`--big`)."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench.common import print_table, timed
from bench.goals import record
from bench.search_data import generate
from cairn.search.providers.documents import to_document
from cairn.search.providers.index import SearchIndex

GOAL_SECONDS = 30.0  # for 100,000 listings
GOAL_SIZE = 100_000


def batch_by_batch(path: Path, listings: list, batch: int = 1000) -> None:  # type: ignore[type-arg]
    """How the index was rebuilt before: what following the log does, a commit per batch."""
    index = SearchIndex(path)
    try:
        for position, offset in enumerate(range(0, len(listings), batch)):
            chunk = {str(item.provider_id): item for item in listings[offset : offset + batch]}
            index.write(chunk, expected=position, position=position + 1)
    finally:
        index.close()


def one_writer(path: Path, listings: list, procs: int) -> None:  # type: ignore[type-arg]
    index = SearchIndex(path)
    try:
        index.rebuild(listings, position=1, procs=procs)
    finally:
        index.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", action="store_true", help="100,000 listings instead of 10,000")
    parser.add_argument("--listings", type=int, default=None, help="another size (smoke tests)")
    parser.add_argument(
        "--batches",
        action="store_true",
        help="also time the old batch-by-batch build (slow: minutes at 100,000)",
    )
    args, _ = parser.parse_known_args(argv)
    size = args.listings or (GOAL_SIZE if args.big else 10_000)
    listings = generate(size)
    _, doc_seconds = timed(lambda: [to_document(item) for item in listings])
    doc_rate = size / doc_seconds
    rows = [["documents only (baseline)", f"{doc_seconds:.1f}", f"{doc_rate:,.0f}", "1.00", ""]]
    methods: list[tuple[str, object]] = []
    if args.batches:
        methods.append(("a commit per 1,000 (old)", batch_by_batch))
    methods.append(("one writer, one process", lambda p, ls: one_writer(p, ls, 1)))
    if (os.cpu_count() or 1) > 1:
        methods.append(("one writer, 2 processes", lambda p, ls: one_writer(p, ls, 2)))
    with tempfile.TemporaryDirectory(prefix="cairn-index-bench-") as tmp:
        for number, (label, build) in enumerate(methods):
            path = Path(tmp) / f"index-{number}"
            _, seconds = timed(lambda build=build, path=path: build(path, listings))  # type: ignore[misc]
            rate = size / seconds
            # The goal is stated for 100,000 listings; other sizes are judged pro rata.
            goal = GOAL_SECONDS * size / GOAL_SIZE
            verdict = "met" if seconds <= goal else "not met"
            record(
                "index",
                f"rebuild 100,000 listings in ≤ {GOAL_SECONDS:.0f} s ({label})",
                f"{seconds:.1f} s ({rate:,.0f}/s; goal here ≤ {goal:.1f} s)",
                seconds <= goal,
                f"{size:,} listings",
            )
            rows.append(
                [
                    label,
                    f"{seconds:.1f}",
                    f"{rate:,.0f}",
                    f"{rate / doc_rate:.2f}",
                    f"{verdict} (≤ {goal:.0f} s)",
                ]
            )
    print_table(
        f"Provider index rebuild, {size:,} listings (ratio: rate / document rate, same run)",
        ["method", "seconds", "listings/s", "ratio", "goal"],
        rows,
    )


if __name__ == "__main__":
    main()
