"""The coverage map's drawing: north up, east right, one scale, shaded by cover, labels apart."""

from __future__ import annotations

from cairn.domain.geo.districts import packaged_districts
from cairn.readmodels.directory.coverage import DistrictCoverage
from cairn.web.admin.coverage_map import coverage_map, shade_for


def covered(code: str, providers: int = 0) -> DistrictCoverage:
    return DistrictCoverage(packaged_districts()[code], providers, {}, 0, 0)


def test_districts_are_placed_north_up_and_east_right() -> None:
    drawn = coverage_map([covered("KA7"), covered("KA26"), covered("KA6")])
    spot = {s.code: s for s in drawn.spots}
    assert spot["KA26"].y > spot["KA7"].y  # Girvan is south of Ayr: lower on the map
    assert spot["KA6"].x > spot["KA7"].x  # KA6 lies east of Ayr
    assert all(0 <= s.x <= drawn.width and 0 <= s.y <= drawn.height for s in drawn.spots)


def test_shades_run_from_no_provider_up() -> None:
    assert [shade_for(n).key for n in (0, 1, 2, 3, 4, 9)] == [
        "none",
        "one",
        "few",
        "few",
        "many",
        "many",
    ]


def test_labels_are_left_off_where_they_would_overlap() -> None:
    glasgow = [covered(c) for c in ("G1", "G2", "G3", "G4", "G5", "KA26")]
    spots = {s.code: s for s in coverage_map(glasgow).spots}
    assert spots["KA26"].labelled  # far from the rest
    assert not all(spots[c].labelled for c in ("G1", "G2", "G3", "G4", "G5"))
