"""The search index follows the event log: only listed providers, exactly once, rebuildable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from cairn.bootstrap.runtime import Runtime
from cairn.search.providers.query import parse_search
from tests.support.directory import applied_provider, approve, catch_up, listed_provider

TODAY = date.today()


def names(runtime: Runtime, **params: str | list[str]) -> list[str]:
    result = runtime.directory.search(parse_search(MultiDict(params)), TODAY)
    return [listing.name for listing in result.listings]


def test_only_approved_providers_are_indexed(runtime: Runtime) -> None:
    pending = applied_provider(runtime, name="Pending Help")
    declined = applied_provider(runtime, name="Declined Help")
    runtime.app.directory.decline(declined.id, by=declined.id, reason="Not local")
    listed_provider(runtime, name="Listed Help")
    catch_up(runtime)
    assert names(runtime) == ["Listed Help"]
    assert runtime.directory.listing(pending.id, TODAY) is None
    assert runtime.directory.listing(declined.id, TODAY) is None


def test_approval_adds_the_listing_and_the_position_moves_with_it(runtime: Runtime) -> None:
    done = applied_provider(runtime, name="Ayr Helpers")
    catch_up(runtime)
    assert names(runtime) == []
    assert runtime.index_sink.position() == runtime.app.head()
    approved = approve(runtime, done.id)
    catch_up(runtime)
    assert runtime.index_sink.position() == approved.position
    listing = runtime.directory.listing(done.id, TODAY)
    assert listing is not None and listing.name == "Ayr Helpers"


def test_reapplying_a_batch_is_refused_and_changes_nothing(runtime: Runtime) -> None:
    listed_provider(runtime, name="Once Only")
    batch = runtime.reader.read(0, 100)
    assert runtime.index_sink.apply(batch) is False
    assert names(runtime) == ["Once Only"]


def test_a_crash_before_commit_leaves_the_old_index_and_position(runtime: Runtime) -> None:
    listed_provider(runtime, name="First")
    before = runtime.index_sink.position()
    second = applied_provider(runtime, name="Second")
    approve(runtime, second.id)

    def power_cut(_id: object, _version: int) -> object:
        raise RuntimeError("power cut")

    original = runtime.index_sink.load
    runtime.index_sink.load = power_cut
    with pytest.raises(RuntimeError):
        runtime.index_runner.run_once()
    runtime.index_sink.load = original
    assert runtime.index_sink.position() == before
    assert names(runtime) == ["First"]
    catch_up(runtime)
    assert names(runtime) == ["First", "Second"]


def test_rebuild_gives_the_same_results(runtime: Runtime) -> None:
    for n in range(5):
        listed_provider(runtime, name=f"Rebuilt {n}")
    before = names(runtime)
    runtime.index_sink.reset()
    assert runtime.index_sink.position() == 0
    assert names(runtime) == []
    runtime.index_runner.batch_size = 3
    catch_up(runtime)
    assert names(runtime) == before
    assert runtime.index_sink.position() == runtime.app.head()


def test_the_stored_listing_round_trips_every_field(runtime: Runtime) -> None:
    provider_id = listed_provider(
        runtime,
        name="Round Trip",
        postcode="KA7 2BB",
        areas_covered=["KA8", "KA9"],
        availability=["tue-evening", "sat-morning"],
        sds_options=["3"],
        languages=["en", "gd"],
        price_per_hour=Decimal("21.00"),
    )
    listing = runtime.directory.listing(provider_id, TODAY)
    assert listing is not None
    assert listing.areas_covered == ("KA7", "KA8", "KA9")
    assert listing.availability == ("tue-evening", "sat-morning")
    assert listing.sds_options == ("3",)
    assert listing.languages == ("en", "gd")
    assert listing.price_per_hour == Decimal("21.00")
    assert listing.phone == "01292 500000"
