"""Projection catch-up rate against the raw read-and-decode rate of the same events.

The ratio says how much the read models cost on top of merely reading the log:
1.0 would mean projecting is free; the goal is at least 0.5."""

from __future__ import annotations

import argparse
import tracemalloc

from bench.common import fresh_runtime, postgres_available, print_table, timed
from bench.generate import generate
from webapp.runtime import Runtime


def write_events(runtime: Runtime, providers: int) -> int:
    """Realistic provider journeys, generated deterministically through the domain."""
    generate(runtime.app, providers, seed=7)
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


def rebuild(runtime: Runtime) -> int:
    runtime.sql_sink.drop_and_recreate()
    return runtime.sql_runner.catch_up()


def measure(backend: str, providers: int) -> list[str]:
    with fresh_runtime(backend) as runtime:
        head = write_events(runtime, providers)
        batch = runtime.sql_runner.batch_size
        read_and_decode(runtime, batch)  # warm caches the same way for both
        baseline_count, baseline_s = timed(lambda: read_and_decode(runtime, batch))
        projected, projected_s = timed(lambda: rebuild(runtime))
        # Memory in a second, untimed pass: tracemalloc slows Python down several times.
        tracemalloc.start()
        rebuild(runtime)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert baseline_count == projected == head
        raw_rate = head / baseline_s
        rate = head / projected_s
        return [
            backend,
            f"{head}",
            f"{raw_rate:,.0f}",
            f"{rate:,.0f}",
            f"{rate / raw_rate:.2f}",
            f"{peak / 2**20:.1f}",
        ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--providers", type=int, default=None)
    parser.add_argument("--big", action="store_true", help="200,000 providers (about 1M events)")
    args, _ = parser.parse_known_args(argv)
    providers = args.providers or (200_000 if args.big else 3_000)
    rows = [measure("sqlite", providers)]
    if postgres_available():
        rows.append(measure("postgres", providers))
    print_table(
        "Projection rebuild vs raw read-and-decode (same events, same store, same run)",
        ["store", "events", "raw ev/s", "rebuild ev/s", "ratio (goal >= 0.5)", "peak MiB (traced)"],
        rows,
    )


if __name__ == "__main__":
    main()
