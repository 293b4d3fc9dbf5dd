"""The generated listings and queries the search benchmark runs: the same every run (seeded)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from werkzeug.datastructures import MultiDict

from cairn.domain.availability import SLOTS, slot
from cairn.domain.directory.listing import PublicListing
from cairn.domain.geo.places import Gazetteer
from cairn.domain.service_types import all_service_types
from cairn.domain.validation import DAYS, TIMES
from cairn.search.providers.query import SearchRequest, parse_search

WORDS = [
    "help",
    "home",
    "care",
    "friendly",
    "local",
    "support",
    "garden",
    "shopping",
    "meals",
    "cooking",
    "cleaning",
    "laundry",
    "walks",
    "outings",
    "tea",
    "company",
    "dementia",
    "respite",
    "carers",
    "evenings",
    "weekends",
    "transport",
    "lifts",
    "appointments",
    "pets",
    "dogs",
    "music",
    "art",
    "exercise",
    "wellbeing",
    "washing",
    "dressing",
    "medication",
    "reminders",
    "confidence",
    "independence",
    "community",
    "village",
    "town",
    "experienced",
    "trained",
    "kind",
]
FIRST = [
    "Heathfield",
    "Alloway",
    "Prestwick",
    "Troon",
    "Leith",
    "Portobello",
    "Shawlands",
    "Govan",
    "Oban",
    "Inverness",
]
SECOND = [
    "Home Help",
    "Companions",
    "Garden Friends",
    "Meals",
    "Support",
    "Pet Pals",
    "Befrienders",
    "Lifts",
    "Care",
]
SERVICES = [t.key for t in all_service_types()]
LANGUAGES = ["en"] * 12 + ["gd", "pl", "ur", "pa", "ar", "zh", "ro", "es"]
TODAY = date(2026, 11, 23)


def districts(rng: random.Random) -> list[str]:
    areas = ["KA", "EH", "G", "PA", "IV", "DG", "AB", "DD", "FK", "KY", "ML", "PH", "TD"]
    return [f"{a}{n}" for a in areas for n in range(1, 30)]


def generate(count: int, seed: int = 7) -> list[PublicListing]:
    rng = random.Random(seed)
    places = districts(rng)
    listings = []
    for n in range(count):
        base = rng.choice(places)
        # Each day the listing works, at one to three times of day.
        availability = [
            slot(d, t)
            for d in DAYS
            if rng.random() < 0.45
            for t in rng.sample(TIMES, rng.randint(1, 3))
        ]
        availability = [s for s in SLOTS if s in set(availability)]
        listings.append(
            PublicListing(
                provider_id=UUID(int=rng.getrandbits(128)),
                name=f"{rng.choice(FIRST)} {rng.choice(SECOND)} {n}",
                description=" ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))),
                description_language="en",
                services=tuple(rng.sample(SERVICES, rng.randint(1, 3))),
                district=base,
                areas_covered=tuple(dict.fromkeys([base, *rng.sample(places, rng.randint(0, 4))])),
                availability=tuple(availability),
                sds_options=tuple(o for o in "1234" if rng.random() < 0.5),
                languages=tuple(dict.fromkeys(["en", rng.choice(LANGUAGES)])),
                price_per_hour=Decimal(rng.randint(1200, 3000)) / 100
                if rng.random() < 0.9
                else None,
                contact_name="Pat",
                email=f"p{n}@bench.example",
                phone=None,
                website=None,
                pvg_checked_on=None,
                insurance_expires_on=None,
                training=(),
                last_confirmed_on=None,
                assured_on=None,
                updated_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    return listings


def make_queries(count: int, seed: int = 11) -> list[SearchRequest]:
    rng = random.Random(seed)
    places = districts(rng)
    queries = []
    for n in range(count):
        params: MultiDict[str, str] = MultiDict()
        kind = n % 6
        if kind in (0, 3, 5):
            params["q"] = " ".join(rng.sample(WORDS, rng.randint(1, 2)))
        if kind in (1, 2, 3, 5):
            params["postcode"] = rng.choice(places)
        if kind in (2, 4, 5):
            params.add("service", rng.choice(SERVICES))
        if kind in (4, 5):
            params["day"] = rng.choice(DAYS)
        if kind == 4:
            params["language"] = rng.choice(["gd", "pl", "ur"])
        queries.append(parse_search(params))
    return queries


# Everyday words beside the same service (or language) searched by its plain label: the
# synonym rows of the benchmark compare the two in one run.
EVERYDAY_AND_PLAIN = [
    ("someone to sit with my mum", "companionship"),
    ("hoovering", "help at home"),
    ("alzheimers", "dementia support"),
    ("bathing", "personal care"),
    ("help with shopping", "shopping"),
    ("gaelic", "language=gd"),
]


def everyday_queries(text: str, count: int = 60, seed: int = 17) -> list[SearchRequest]:
    """`text` as the words of a search (or, as "name=value", a filter), alone and with an
    area or a day, the same variations for every text so the rows compare like with like."""
    rng = random.Random(seed)
    places = districts(rng)
    queries = []
    for n in range(count):
        params: MultiDict[str, str] = MultiDict()
        if "=" in text:
            name, value = text.split("=", 1)
            params[name] = value
        else:
            params["q"] = text
        if n % 3 in (1, 2):
            params["postcode"] = rng.choice(places)
        if n % 3 == 2:
            params["day"] = rng.choice(DAYS)
        queries.append(parse_search(params))
    return queries


# Places people type, all in the district data (the generated listings' districts are not all
# real: KA29 is, KY29 is not).
PLACE_NAMES = ["Ayr", "Kilmarnock", "Edinburgh", "Glaschu", "Inbhir Nis", "South Ayrshire", "Fife"]


def make_place_queries(
    count: int, gazetteer: Gazetteer, seed: int = 13
) -> list[tuple[str, SearchRequest, SearchRequest]]:
    """(kind, search with a place, the same search by one district without distance), for
    postcodes nearest first, within 5 miles, at any distance, and town or area names."""
    rng = random.Random(seed)
    real = [d for d in districts(rng) if d in gazetteer.districts]
    kinds = ("nearest first", "within 5 miles", "any distance", "place name")
    queries = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        params: MultiDict[str, str] = MultiDict()
        if n % 3 == 0:
            params["q"] = rng.choice(WORDS)
        if n % 2 == 0:
            params.add("service", rng.choice(SERVICES))
        params["postcode"] = rng.choice(PLACE_NAMES) if kind == "place name" else rng.choice(real)
        if kind == "within 5 miles":
            params["within"] = "5"
        elif kind == "any distance":
            params["within"] = "any"
        near = parse_search(params, gazetteer=gazetteer)
        assert near.place is not None, params
        plain = MultiDict(params)
        plain["postcode"] = near.place.districts[0]
        queries.append((kind, near, parse_search(plain)))
    return queries
