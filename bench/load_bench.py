"""A bounded loopback load test against the scale-out topology.

    python -m bench.load_bench [--big]

PostgreSQL + one `cairn projections run` worker + two `cairn serve` nodes (2 gunicorn
workers each, own search index each). Client threads mix searches (60%), profile views
(30%) and enquiries (10%: fetch the profile for its CSRF token, then post), spread across
both nodes, for a fixed time at rising concurrency. Reports throughput and errors (5xx or
failed connections) at each level; 429 answers from the rate limits are counted apart,
since refusing a flood is their job. Needs PostgreSQL on 127.0.0.1:5432."""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import uuid
from collections import Counter
from pathlib import Path

import psycopg
from psycopg import sql

from bench.common import PG_URL, postgres_available, print_table
from bench.goals import record
from tests.support.topology import Browserish, cairn_command, scale_out

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"
QUERIES = [
    "",
    "q=care",
    "q=garden",
    "postcode=KA7",
    "service=personal-care",
    "service=companionship&postcode=KA8",
    "q=respite&day=sat",
    "sds=2",
    "language=gd",
    "q=help&sort=price",
]


def one_user(
    nodes: list[str],
    ids: list[str],
    stop: float,
    counts: Counter[str],
    lock: threading.Lock,
    seed: int,
) -> None:
    rng = random.Random(seed)
    clients = [Browserish(url) for url in nodes]
    while time.monotonic() < stop:
        client = rng.choice(clients)
        roll = rng.random()
        try:
            if roll < 0.6:
                status, _ = client.get("/search?" + rng.choice(QUERIES))
            elif roll < 0.9:
                status, _ = client.get(f"/providers/{rng.choice(ids)}")
            else:
                pid = rng.choice(ids)
                status, page = client.get(f"/providers/{pid}")
                if status == 200:
                    status, _ = client.post(
                        f"/providers/{pid}/enquiries",
                        {
                            "csrf_token": Browserish.token(page),
                            "name": "Load Test",
                            "contact": "load@test.example",
                            "message": "Could you help on Tuesdays?",
                            "consent": "y",
                        },
                    )
        except (OSError, urllib.error.URLError, AssertionError):
            status = 0
        key = "ok" if 200 <= status < 400 else "limited" if status == 429 else "error"
        with lock:
            counts[key] += 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", action="store_true")
    parser.add_argument("--seconds", type=float, default=None)
    args, _ = parser.parse_known_args(argv)
    if not postgres_available():
        print("load test skipped: PostgreSQL is not reachable")
        return
    seconds = args.seconds or (30.0 if args.big else 8.0)
    levels = [4, 16, 32] if args.big else [4, 16]
    schema = "load_" + uuid.uuid4().hex[:10]
    rows = []
    try:
        with (
            tempfile.TemporaryDirectory(prefix="cairn-load-") as tmp,
            scale_out(PG_URL, schema, Path(tmp)) as topology,
        ):
            subprocess.run(
                cairn_command("import-providers", str(SAMPLES / "providers-sample.csv")),
                env=topology.env,
                check=True,
                capture_output=True,
            )
            probe = Browserish(topology.nodes[0])
            deadline = time.monotonic() + 60
            ids: list[str] = []
            while time.monotonic() < deadline and len(ids) < 5:
                ids = sorted(
                    set(re.findall(r'href="/providers/([0-9a-f-]{36})"', probe.get("/search")[1]))
                )
                time.sleep(0.5)
            for users in levels:
                counts: Counter[str] = Counter()
                lock = threading.Lock()
                stop = time.monotonic() + seconds
                threads = [
                    threading.Thread(
                        target=one_user, args=(topology.nodes, ids, stop, counts, lock, n)
                    )
                    for n in range(users)
                ]
                started = time.monotonic()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                elapsed = time.monotonic() - started
                total = sum(counts.values())
                record(
                    "load",
                    "no errors on the scale-out topology",
                    f"{counts['error']} errors in {total} requests",
                    counts["error"] == 0,
                    f"{users} clients",
                )
                rows.append(
                    [
                        str(users),
                        f"{total}",
                        f"{total / elapsed:.0f}",
                        str(counts["error"]),
                        str(counts["limited"]),
                    ]
                )
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    print_table(
        "Load test: 2 web nodes x 2 workers + projection worker + PostgreSQL (loopback)",
        ["clients", "requests", "req/s", "errors (goal 0)", "rate-limited (429)"],
        rows,
    )


if __name__ == "__main__":
    main()
