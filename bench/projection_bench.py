"""Projection catch-up rate against the raw read-and-decode rate of the same events.

The ratio says how much the read models cost on top of merely reading the log:
1.0 would mean projecting is free; the goal is at least 0.5."""

from __future__ import annotations

import argparse

from bench.common import current_rss_mib, fresh_runtime, postgres_available, print_table, timed
from bench.generate import generate
from bench.goals import record
from cairn.bootstrap.runtime import Runtime
from cairn.eventlog.runner import REBUILD_BATCH_SIZE


def write_events(runtime: Runtime, providers: int, learning_events: int) -> int:
    """Realistic provider journeys and learning records, generated through the domain."""
    generate(runtime.app, providers, seed=7, learning_events=learning_events)
    return runtime.app.head()


def read_and_decode(runtime: Runtime, batch_size: int) -> int:
    """The baseline: read every notification in batches and decode it, nothing more."""
    count, position = 0, 0
    while True:
        batch = runtime.reader.read(position, batch_size)
        if not batch:
            return count
        count += len(batch)
        position = batch[-1].position


FLAT_MIB = 64  # how much a rebuild's memory may grow after its first quarter


class RssSampler:
    """The process's resident memory after each batch: flat means no growth with the log."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.samples: list[tuple[int, float]] = []

    def __call__(self, count: int) -> None:
        self.done += count
        self.samples.append((self.done, current_rss_mib()))

    def at(self, fraction: float) -> float:
        wanted = self.total * fraction
        return next((rss for done, rss in self.samples if done >= wanted), self.samples[-1][1])


def rebuild(runtime: Runtime, sampler: RssSampler | None = None) -> int:
    runtime.sql_sink.drop_and_recreate()
    return runtime.sql_runner.catch_up(on_progress=sampler, batch_size=REBUILD_BATCH_SIZE)


def measure(backend: str, providers: int, learning_events: int) -> list[str]:
    with fresh_runtime(backend) as runtime:
        head = write_events(runtime, providers, learning_events)
        batch = REBUILD_BATCH_SIZE
        read_and_decode(runtime, batch)  # warm caches the same way for both
        baseline_count, baseline_s = timed(lambda: read_and_decode(runtime, batch))
        sampler = RssSampler(head)
        projected, projected_s = timed(lambda: rebuild(runtime, sampler))
        assert baseline_count == projected == head
        raw_rate = head / baseline_s
        rate = head / projected_s
        ratio = rate / raw_rate
        record(
            "projections",
            f"{backend} rebuild ≥ 0.5 of raw read-and-decode",
            f"{ratio:.2f} ({rate:,.0f} of {raw_rate:,.0f} events/s)",
            ratio >= 0.5,
            f"{head:,} events",
        )
        # "Memory flat": what the rebuild holds at its end is within a margin of what it held
        # a quarter of the way in (batches are let go; nothing grows with the log).
        growth = sampler.at(1.0) - sampler.at(0.25)
        record(
            "projections",
            f"{backend} rebuild memory flat (grows ≤ {FLAT_MIB} MiB after the first quarter)",
            f"{growth:+.0f} MiB",
            growth <= FLAT_MIB,
            f"{head:,} events",
        )
        return [
            backend,
            f"{head:,}",
            f"{raw_rate:,.0f}",
            f"{rate:,.0f}",
            f"{ratio:.2f}",
            f"{sampler.at(0.25):.0f} / {sampler.at(0.5):.0f} / {sampler.at(1.0):.0f}",
        ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--providers", type=int, default=None)
    parser.add_argument("--learning-events", type=int, default=None)
    parser.add_argument(
        "--big", action="store_true", help="100,000 providers and 500,000 learning events (~1M)"
    )
    args, _ = parser.parse_known_args(argv)
    providers = args.providers or (100_000 if args.big else 3_000)
    learning = args.learning_events if args.learning_events is not None else providers * 5
    rows = [measure("sqlite", providers, learning)]
    if postgres_available():
        rows.append(measure("postgres", providers, learning))
    print_table(
        "Projection rebuild vs raw read-and-decode (same events, same store, same run)",
        [
            "store",
            "events",
            "raw ev/s",
            "rebuild ev/s",
            "ratio (goal >= 0.5)",
            "RSS MiB at 25% / 50% / 100%",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
