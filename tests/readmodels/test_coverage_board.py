"""The coverage board: every district of the council areas the CIC serves, gaps included,
grouped by area, with the applications waiting and the unmet demand beside the counts."""

from __future__ import annotations

from cairn.bootstrap.runtime import Runtime
from cairn.domain.geo.districts import packaged_districts
from cairn.readmodels.directory.coverage import AreaCoverage, CoverageBoard, coverage_board
from tests.support.directory import applied_provider, catch_up, listed_provider

SERVICES = ["gardening", "personal-care"]
SOUTH_AYRSHIRE = ["KA6", "KA7", "KA8", "KA9", "KA10", "KA19", "KA26"]


def board(runtime: Runtime, demand: dict[str, int] | None = None) -> CoverageBoard:
    catch_up(runtime)
    return coverage_board(runtime.read_engine, packaged_districts(), SERVICES, demand or {})


def area(board: CoverageBoard, council: str) -> AreaCoverage:
    return next(a for a in board.areas if a.council == council)


def test_every_district_of_an_area_served_is_listed_in_order_zero_rows_included(
    runtime: Runtime,
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", areas_covered=["KA8"], services=["gardening"])
    ayrshire = area(board(runtime), "South Ayrshire")
    assert [d.code for d in ayrshire.districts] == SOUTH_AYRSHIRE
    counts = {d.code: d.count("gardening") for d in ayrshire.districts}
    assert counts == {"KA6": 0, "KA7": 1, "KA8": 1, "KA9": 0, "KA10": 0, "KA19": 0, "KA26": 0}
    assert ayrshire.gaps == 5


def test_the_areas_served_are_those_with_a_listed_provider_or_an_application_waiting(
    runtime: Runtime,
) -> None:
    listed_provider(runtime, postcode="KA7 1AA")
    applied_provider(runtime, postcode="PH1 1AA", areas_covered=["PH2"])
    councils = [a.council for a in board(runtime).areas]
    assert councils == ["Perth and Kinross", "South Ayrshire"]  # not Highland, not Glasgow


def test_waiting_applications_and_unmet_demand_are_counted_per_district_and_area(
    runtime: Runtime,
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["gardening"])
    applied_provider(runtime, postcode="KA9 1AA", areas_covered=["KA10"])
    applied_provider(runtime, postcode="KA9 2AA")
    ayrshire = area(board(runtime, demand={"KA26": 3, "KA7": 1, "IV1": 9}), "South Ayrshire")
    by_code = {d.code: d for d in ayrshire.districts}
    assert {c: d.pending for c, d in by_code.items() if d.pending} == {"KA9": 2, "KA10": 1}
    assert {c: d.demand for c, d in by_code.items() if d.demand} == {"KA7": 1, "KA26": 3}
    assert (ayrshire.pending, ayrshire.demand) == (2, 4)  # Inverness's demand is not Ayrshire's


def test_an_areas_totals_count_each_provider_once(runtime: Runtime) -> None:
    listed_provider(
        runtime, postcode="KA7 1AA", areas_covered=["KA8", "KA9"], services=["gardening"]
    )
    listed_provider(runtime, postcode="KA8 1AA", services=["gardening", "personal-care"])
    ayrshire = area(board(runtime), "South Ayrshire")
    assert ayrshire.providers == 2
    assert (ayrshire.count("gardening"), ayrshire.count("personal-care")) == (2, 1)
    assert {d.code: d.providers for d in ayrshire.districts if d.providers} == {
        "KA7": 1,
        "KA8": 2,
        "KA9": 1,
    }


def test_a_hidden_or_waiting_provider_is_not_counted_as_cover(runtime: Runtime) -> None:
    applied_provider(runtime, postcode="KA7 1AA", services=["gardening"])
    ayrshire = area(board(runtime), "South Ayrshire")
    assert ayrshire.providers == 0 and ayrshire.gaps == len(SOUTH_AYRSHIRE)
