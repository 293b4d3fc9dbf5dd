"""Read-your-writes: how long from a command's return until its change is in every read model.

    python -m bench.ryw_bench [--big]

The runners follow the log in the background as in production (embedded on SQLite; on
PostgreSQL woken by NOTIFY); each command's wait is timed with `Runtime.wait_for`."""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta

from bench.common import fresh_runtime, postgres_available, print_table
from bench.generate import ADMINS

ADMIN = ADMINS[0]


def measure(backend: str, commands: int) -> list[str]:
    with fresh_runtime(backend) as runtime:
        runtime.start()
        today = runtime.app.clock().date()
        waits = []
        for n in range(commands):
            done = runtime.app.directory.apply(
                name=f"Timing Provider {n:05d}",
                contact_name="Pat",
                email=f"t{n}@ryw.example",
                postcode="KA7 1AA",
                services=["gardening"],
                description="Help in the garden.",
            )
            if n % 2:
                directory = runtime.app.directory
                directory.record_pvg(done.id, by=ADMIN, checked_on=today - timedelta(days=9))
                directory.record_insurance(done.id, by=ADMIN, expires_on=today + timedelta(days=99))
                done = directory.approve(done.id, by=ADMIN)
            started = time.perf_counter()
            assert runtime.wait_for(done.position, timeout=30)
            waits.append((time.perf_counter() - started) * 1000)
        waits.sort()
        return [
            backend,
            str(commands),
            f"{statistics.median(waits):.1f}",
            f"{waits[int(len(waits) * 0.95) - 1]:.1f}",
            f"{waits[-1]:.1f}",
        ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", action="store_true")
    parser.add_argument("--commands", type=int, default=None, help="another count (smoke tests)")
    args, _ = parser.parse_known_args(argv)
    commands = args.commands or (1000 if args.big else 200)
    rows = [measure("sqlite", commands)]
    if postgres_available():
        rows.append(measure("postgres", commands))
    print_table(
        "Command -> visible in every read model and index (read-your-writes)",
        ["store", "commands", "p50 ms", "p95 ms", "max ms"],
        rows,
    )


if __name__ == "__main__":
    main()
