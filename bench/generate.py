"""Realistic synthetic data at a chosen scale, written through the domain, deterministic by seed.

    python -m bench.generate --providers 10000 [--learning-events 50000] [--seed 7]

Providers apply, are reviewed, checked and mostly approved; some are asked for more
information, declined, suspended, reinstated, withdrawn; approved ones confirm their
listings and some propose edits. Aggregates are built with their own methods and saved a
few hundred at a time through `CairnApp.record`, which is the same path every command takes.
Learning records (teams, reflections, test-and-learn cycles) come from `bench.learning_data`.
At full size (`--providers 100000 --learning-events 500000`) the log holds about 1M events.
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal

from eventsourcing.domain import Aggregate

from bench.learning_data import learning_journeys
from cairn.domain.app import CairnApp
from cairn.domain.availability import slots_for
from cairn.domain.directory.provider import Provider
from cairn.domain.service_types import all_service_types
from cairn.domain.validation import DAYS, TIMES

DISTRICTS = [
    "KA1",
    "KA3",
    "KA7",
    "KA8",
    "KA9",
    "KA10",
    "KA19",
    "KA26",
    "EH1",
    "EH3",
    "EH6",
    "EH11",
    "EH15",
    "G1",
    "G2",
    "G3",
    "G11",
    "G12",
    "G20",
    "G31",
    "G41",
    "G42",
    "G51",
    "AB10",
    "AB24",
    "DD1",
    "DD4",
    "IV1",
    "IV2",
    "IV3",
    "HS1",
    "HS2",
    "PA1",
    "PA34",
    "PH1",
    "PH2",
    "DG1",
    "DG2",
    "FK1",
    "FK8",
    "KY1",
    "KY16",
    "ML1",
    "ML3",
    "TD1",
    "TD9",
    "KW1",
    "KW15",
    "ZE1",
]
FIRST = [
    "Isla",
    "Morag",
    "Ewan",
    "Calum",
    "Shona",
    "Graham",
    "Ailsa",
    "Ruaridh",
    "Fiona",
    "Dougie",
    "Priya",
    "Tomasz",
    "Catriona",
    "Iain",
]
PLACES = [
    "Carrick",
    "Doon",
    "Girvan",
    "Ayr",
    "Leith",
    "Portobello",
    "Shawlands",
    "Govanhill",
    "Oban",
    "Nairn",
    "Kelso",
    "Troon",
]
KINDS = [
    "Care",
    "Companions",
    "Helping",
    "Hands",
    "Home",
    "Support",
    "Befriending",
    "Lifts",
    "Gardens",
    "Kitchen",
    "Respite",
]
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
ADMINS = [uuid.UUID(int=n) for n in range(1, 4)]
PHRASES = (
    "Friendly, reliable help at home from someone local.",
    "The same familiar face each visit, at times that suit you.",
    "Experienced with dementia and with supporting unpaid carers.",
    "Gaelic and English spoken; happy to help with shopping and appointments.",
    "Small, local and flexible: we fit around your routine.",
    "Trained in first aid and moving and handling.",
)


def provider_journeys(rng: random.Random, count: int, today: date) -> Iterator[Provider]:
    services = [t.key for t in all_service_types()]
    for n in range(count):
        district = rng.choice(DISTRICTS)
        name = f"{rng.choice(PLACES)} {rng.choice(KINDS)} {n:06d}"
        provider = Provider(
            name=name,
            contact_name=f"{rng.choice(FIRST)} {chr(65 + n % 26)}.",
            email=f"provider{n:06d}@generated.example",
            postcode=f"{district} {rng.randint(1, 9)}{''.join(rng.sample(UNIT_LETTERS, 2))}",
            services=rng.sample(services, rng.randint(1, 3)),
            description=" ".join(rng.sample(PHRASES, 3)),
            areas_covered=rng.sample(DISTRICTS, rng.randint(0, 3)),
            availability=slots_for(
                rng.sample(DAYS, rng.randint(2, 6)), rng.sample(TIMES, rng.randint(1, 3))
            ),
            sds_options=sorted(rng.sample(["1", "2", "3", "4"], rng.randint(1, 4))),
            languages=["en", *(["gd"] if rng.random() < 0.1 else [])],
            price_per_hour=Decimal(rng.randint(1500, 3200)) / 100,
        )
        admin = rng.choice(ADMINS)
        roll = rng.random()
        if roll < 0.08:
            yield provider  # still waiting for review
            continue
        provider.start_review(by=admin)
        if roll < 0.14:
            provider.request_information(
                by=admin, question="Could you tell us which days you work?"
            )
            if rng.random() < 0.5:
                provider.provide_information(by=provider.id, answer="Weekdays, mornings mostly.")
            yield provider
            continue
        if roll < 0.18:
            provider.decline(by=admin, reason="Outside the areas the CIC serves")
            yield provider
            continue
        provider.record_pvg(
            by=admin, checked_on=today - timedelta(days=rng.randint(1, 900)), today=today
        )
        provider.record_insurance(
            by=admin, expires_on=today + timedelta(days=rng.randint(20, 400)), today=today
        )
        provider.approve(by=admin, today=today)
        if rng.random() < 0.5:
            provider.confirm_listing(by=provider.id, today=today)
        if rng.random() < 0.1:
            provider.propose_edit(by=provider.id, changes={"description": rng.choice(PHRASES)})
        if rng.random() < 0.05:
            provider.suspend(by=admin, reason="A complaint is being looked into")
            if rng.random() < 0.5:
                provider.reinstate(by=admin, today=today)
        elif rng.random() < 0.03:
            provider.withdraw(by=provider.id, reason="Retiring")
        yield provider


def save_in_chunks(
    app: CairnApp,
    aggregates: Iterator[Aggregate],
    chunk: int = 200,
    on_progress: Callable[[int], object] | None = None,
) -> int:
    """Save aggregates a chunk at a time (each chunk one transaction); return events written."""
    written = 0
    pending: list[Aggregate] = []
    for aggregate in aggregates:
        pending.append(aggregate)
        if len(pending) >= chunk:
            written += _save(app, pending, on_progress)
            pending = []
    if pending:
        written += _save(app, pending, on_progress)
    return written


def _save(
    app: CairnApp, pending: list[Aggregate], on_progress: Callable[[int], object] | None
) -> int:
    before = app.head()
    app.record(*pending)
    events = app.head() - before
    if on_progress:
        on_progress(len(pending))
    return events


def generate(app: CairnApp, providers: int, seed: int = 7, learning_events: int = 0) -> int:
    """Write the providers' journeys, then about `learning_events` learning events; return
    how many events were written."""
    rng = random.Random(seed)
    today = app.clock().date()
    written = save_in_chunks(app, provider_journeys(rng, providers, today))
    if learning_events:
        written += save_in_chunks(app, learning_journeys(rng, learning_events, today))
    return written


def main(argv: list[str] | None = None) -> None:
    from cairn.bootstrap.runtime import Runtime
    from cairn.bootstrap.settings import load_settings

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--providers", type=int, default=10_000)
    parser.add_argument("--learning-events", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    runtime = Runtime(load_settings())
    started = time.perf_counter()
    events = generate(runtime.app, args.providers, args.seed, args.learning_events)
    elapsed = time.perf_counter() - started
    print(
        f"Wrote {events} events ({args.providers} providers and their learning records) "
        f"in {elapsed:.1f}s "
        f"({events / elapsed:,.0f} events/s)."
    )
    runtime.close()


if __name__ == "__main__":
    main()
