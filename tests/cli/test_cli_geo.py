"""`cairn geo load`: refreshing the postcode district centres, all or nothing."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import assert_one_clear_line, cairn

GOOD = (
    "district,easting,northing,latitude,longitude,town,county,country\n"
    "KA7,233800,620200,55.44739,-4.62805,Ayr,South Ayrshire,Scotland\n"
    "KA9,235500,625700,55.49734,-4.60446,Prestwick,South Ayrshire,Scotland\n"
)


def env(tmp_path: Path) -> dict[str, str]:
    return {"CAIRN_DATA_DIR": str(tmp_path / "data"), "CAIRN_ENV": "development"}


def test_a_good_file_is_installed_and_a_bad_one_changes_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = cairn("geo", "load", str(good), env=env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Installed 2 postcode districts (2 in Scotland)" in result.stdout
    assert "Contains OS data © Crown copyright and database right" in result.stdout
    installed = tmp_path / "data" / "geo" / "outcodes.csv"
    before = installed.read_bytes()

    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD.replace("55.49734", "north"), encoding="utf-8")
    result = cairn("geo", "load", str(bad), env=env(tmp_path))
    assert_one_clear_line(result, "Nothing was installed", "line 3", "latitude")
    assert installed.read_bytes() == before
