"""Postcode districts and place names: the shipped data, both file shapes, and resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from cairn.domain.geo.districts import GeoDataError, packaged_districts
from cairn.domain.geo.installed import install_district_file, installed_districts
from cairn.domain.geo.loading import read_district_file
from cairn.domain.geo.places import name_key, packaged_gazetteer

OUTCODES = (
    "district,easting,northing,latitude,longitude,town,county,country\n"
    "KA7,233800,620200,55.44739,-4.62805,Ayr,South Ayrshire,Scotland\n"
    "CA1,340500,555700,54.8925,-2.9329,Carlisle,Cumbria,England\n"
)

# ONSPD's shape, cut down: live postcodes, a terminated one (ignored) and one with no grid
# reference (osgrdind 9, lat 99.999999: ignored).
ONSPD = (
    "pcd,pcd2,pcds,dointr,doterm,oscty,oslaua,osward,usertype,oseast1m,osnrth1m,osgrdind,"
    "ctry,lat,long\n"
    "KA7 1AA,KA7  1AA,KA7 1AA,199801,,S99999999,S12000028,S13002932,0,233000,620000,1,"
    "S92000003,55.4450,-4.6400\n"
    "KA7 2BB,KA7  2BB,KA7 2BB,199801,,S99999999,S12000028,S13002932,0,234000,621000,1,"
    "S92000003,55.4550,-4.6250\n"
    "KA7 9ZZ,KA7  9ZZ,KA7 9ZZ,199801,200412,S99999999,S12000028,S13002932,0,900000,900000,1,"
    "S92000003,58.0,-1.0\n"
    "KA7 8XX,KA7  8XX,KA7 8XX,199801,,S99999999,S12000028,S13002932,0,,,9,"
    "S92000003,99.999999,0.000000\n"
    "TD9 1AA,TD9  1AA,TD9 1AA,199801,,S99999999,S12000026,S13002900,0,350000,615000,1,"
    "S92000003,55.42,-2.79\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_data_has_every_uk_district_and_scotlands_440() -> None:
    districts = packaged_districts()
    assert len(districts) == 2848
    assert sum(d.in_scotland for d in districts.values()) == 440


def test_ka7_to_ka9_is_about_three_and_a_half_miles() -> None:
    districts = packaged_districts()
    assert 3 <= districts["KA7"].miles_to(districts["KA9"]) <= 4
    assert districts["EH1"].miles_to(districts["EH6"]) < 2


def test_an_outcodes_file_reads_as_it_is(tmp_path: Path) -> None:
    districts = read_district_file(write(tmp_path, "o.csv", OUTCODES), {})
    assert districts["KA7"].town == "Ayr" and districts["CA1"].country == "England"


def test_an_onspd_file_averages_live_postcodes_and_keeps_known_towns(tmp_path: Path) -> None:
    districts = read_district_file(write(tmp_path, "onspd.csv", ONSPD), packaged_districts())
    ka7 = districts["KA7"]
    assert (ka7.easting, ka7.northing) == (233500, 620500)  # the terminated one left out
    assert ka7.council == "South Ayrshire" and ka7.country == "Scotland"
    assert ka7.town == "Ayr"  # ONSPD names no towns: kept from the districts in use
    assert districts["TD9"].council == "The Scottish Borders"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name,place\nx,y\n", "neither outcodes.csv"),
        (OUTCODES.replace(",233800,", ",east,"), "line 2: easting 'east' is not a number"),
        (OUTCODES.replace("55.44739", "12.0"), "line 2: latitude 12.0 is outside the UK"),
        (OUTCODES.replace("KA7,", "K 7 7,"), "is not a postcode district"),
        (OUTCODES + OUTCODES.splitlines()[1] + "\n", "KA7 appears more than once"),
        ("\n".join(OUTCODES.splitlines()[::2]) + "\n", "no district in Scotland"),
        ("district,easting\nKA7,1\n", "lacks the column(s) northing"),
        (ONSPD.replace(",oslaua,", ",laua,"), "lacks the ONSPD column(s) oslaua"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(GeoDataError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        read_district_file(write(tmp_path, "bad.csv", text), {})


def test_installing_a_bad_file_leaves_the_installed_one_untouched(tmp_path: Path) -> None:
    target = tmp_path / "geo" / "outcodes.csv"
    install_district_file(write(tmp_path, "good.csv", OUTCODES), target)
    before = target.read_bytes()
    with pytest.raises(GeoDataError):
        install_district_file(write(tmp_path, "bad.csv", OUTCODES + "KA8,x\n"), target)
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["outcodes.csv"]  # no temporary left
    assert set(installed_districts(target) or {}) == {"KA7", "CA1"}


def test_an_installed_onspd_refresh_reads_back_in_the_outcodes_shape(tmp_path: Path) -> None:
    target = tmp_path / "geo" / "outcodes.csv"
    install_district_file(write(tmp_path, "onspd.csv", ONSPD), target)
    assert target.read_text("utf-8").startswith("district,easting,northing,")
    assert installed_districts(target) == read_district_file(target, {})


def test_names_compare_without_accents_case_or_punctuation() -> None:
    assert name_key("Inbhir Àir") == name_key("inbhir air")
    assert name_key("The Scottish Borders") == "scottish borders"
    assert name_key("A' Ghàidhealtachd") == "a ghaidhealtachd"


@pytest.mark.parametrize(
    ("text", "kind", "districts"),
    [
        ("KA8 0AA", "district", ("KA8",)),
        ("ka9", "district", ("KA9",)),
        ("Ayr", "town", ("KA7", "KA8")),
        ("inbhir air", "town", ("KA7", "KA8")),  # Gaelic, without its accent
        ("Alloway", "town", ("KA7",)),
        ("Prestwick", "town", ("KA9",)),
        ("Leith", "town", ("EH6",)),
        ("Glaschu", "town", None),
        ("Obar Dheathain", "town", None),
        ("Inbhir Nis", "town", ("IV1", "IV3")),
        ("South Ayrshire", "council", ("KA6", "KA7", "KA8", "KA9", "KA10", "KA19", "KA26")),
        ("Siorrachd Àir a Deas", "council", None),
        ("Stirling council area", "council", None),
        ("Stirling, Stirling", "town", ("FK7", "FK8")),
    ],
)
def test_places_resolve_to_districts(
    text: str, kind: str, districts: tuple[str, ...] | None
) -> None:
    found = packaged_gazetteer().resolve(text)
    assert found.outcome == "found" and found.place is not None
    assert found.place.kind == kind
    if districts is not None:
        assert found.place.districts == districts


def test_an_ambiguous_name_asks_which_with_a_query_for_each() -> None:
    gazetteer = packaged_gazetteer()
    found = gazetteer.resolve("Stirling")
    assert found.outcome == "ambiguous"
    assert {p.kind for p in found.choices} == {"town", "council"}
    for choice in found.choices:
        assert gazetteer.resolve(choice.query).place == choice


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("KA99", "unknown"),
        ("XX1", "unknown"),
        ("KA99 1AA", "unknown"),
        ("CA1 1AA", "outside"),
        ("Carlisle", "outside"),
        ("London", "outside"),
        ("Atlantis", "unknown"),
        ("KA7 1A", "invalid"),
    ],
)
def test_places_we_cannot_use_say_why(text: str, outcome: str) -> None:
    assert packaged_gazetteer().resolve(text).outcome == outcome


def test_a_misspelt_town_offers_close_spellings() -> None:
    found = packaged_gazetteer().resolve("Prestwik")
    assert found.outcome == "unknown"
    assert [p.name for p in found.choices] == ["Prestwick"]


def test_a_district_is_named_by_its_town_or_the_maintained_locality() -> None:
    gazetteer = packaged_gazetteer()
    assert gazetteer.town_of("KA9") == "Prestwick"  # the seed data says Ayr
    assert gazetteer.town_of("KA7") == "Ayr"
    assert gazetteer.town_of("KA19") == "South Ayrshire"  # no town: its council area
