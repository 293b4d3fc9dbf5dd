"""Helpers for directory tests: providers that are listed, with every listing field.

`listed_provider` is the one place that knows how a provider becomes visible; when approval
needs checks first (the provider lifecycle), only this function changes."""

from __future__ import annotations

from decimal import Decimal
from itertools import count
from typing import Any
from uuid import UUID, uuid4

from cairn.bootstrap.runtime import Runtime
from cairn.domain.outcome import Done
from tests.support.providers import approve_with_checks

ADMIN = uuid4()
_numbers = count(1)


def applied_provider(runtime: Runtime, **fields: Any) -> Done:
    n = next(_numbers)
    values: dict[str, Any] = {
        "name": f"Provider {n}",
        "contact_name": "Morag",
        "email": f"provider{n}@cairn.example",
        "postcode": "KA7 1AA",
        "services": ["personal-care"],
        "description": "Friendly help at home.",
        "areas_covered": [],
        "availability": ["mon-morning"],
        "sds_options": ["1", "2"],
        "languages": ["en"],
        "price_per_hour": Decimal("18.50"),
        "phone": "01292 500000",
        "website": "https://example.org",
    }
    values.update(fields)
    return runtime.app.directory.apply(**values)


def approve(runtime: Runtime, provider_id: UUID) -> Done:
    return approve_with_checks(runtime.app, provider_id, by=ADMIN)


def listed_provider(runtime: Runtime, **fields: Any) -> UUID:
    """A provider the public can see, with the index caught up."""
    done = applied_provider(runtime, **fields)
    approve(runtime, done.id)
    catch_up(runtime)
    return done.id


def catch_up(runtime: Runtime) -> None:
    """Bring every read model and the index up to the log's head (runners may be stopped)."""
    for runner in runtime.runners:
        runner.catch_up()
    # A background runner may hold a batch this catch-up lost the race for: wait for it.
    assert runtime.wait_for(runtime.app.head())
