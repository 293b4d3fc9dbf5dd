"""`cairn import-providers` and `cairn checks sweep` as a person at a terminal meets them."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.support.cli import cairn
from tests.support.stores import PG_URL, SAMPLES, require_postgres

HEADER = (
    "name,contact_name,email,postcode,areas_covered,services,description,"
    "pvg_checked_on,insurance_expires_on,approved_on\n"
)


def good_file(tmp_path: Path) -> Path:
    """Two approved providers and one application, with dates that are current today."""
    today = date.today()
    pvg = (today - timedelta(days=90)).isoformat()
    insurance = (today + timedelta(days=200)).isoformat()
    approved = (today - timedelta(days=30)).isoformat()
    path = tmp_path / "providers.csv"
    checks = f"{pvg},{insurance},{approved}"
    path.write_text(
        HEADER
        + f"Ayr Helpers,Pat,pat@ayr.example,KA7 1AA,KA8,gardening,Gardens,{checks}\n"
        + f"Troon Teas,Sam,sam@troon.example,KA10 6HT,KA10,meal-preparation,Meals,{checks}\n"
        + "Prestwick Pals,Lee,lee@prestwick.example,KA9 1AA,KA9,companionship,Company,,,\n",
        encoding="utf-8",
    )
    return path


def head(env: dict[str, str]) -> int:
    status = cairn("projections", "status", env=env).stdout
    return int(status.split("log head")[1].split()[0])


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    base = {"CAIRN_ENV": "development", "CAIRN_DATA_DIR": str(tmp_path / "data")}
    if request.param == "postgres":
        require_postgres()
        schema = request.getfixturevalue("pg_schema")
        base.update({"CAIRN_DATABASE_URL": PG_URL, "CAIRN_DATABASE_SCHEMA": schema})
    return base


def test_the_bad_sample_imports_nothing_and_names_each_bad_row(env: dict[str, str]) -> None:
    result = cairn("import-providers", str(SAMPLES / "providers-bad.csv"), env=env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    for line, column in [(3, "email"), (4, "postcode"), (5, "services"), (6, "name")]:
        assert f"line {line}: {column}: " in result.stderr
    assert "Nothing was imported: 4 rows have problems" in result.stderr
    assert head(env) == 0


def test_a_good_file_imports_once_and_a_dry_run_saves_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = good_file(tmp_path)
    dry = cairn("import-providers", str(path), "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "Dry run" in dry.stdout and "3 new (2 approved, 1 awaiting review)" in dry.stdout
    assert head(env) == 0

    first = cairn("import-providers", str(path), env=env)
    assert first.returncode == 0, first.stderr
    assert "3 new (2 approved, 1 awaiting review)" in first.stdout
    after_first = head(env)
    again = cairn("import-providers", str(path), env=env)
    assert again.returncode == 0 and "0 new" in again.stdout and "3 already" in again.stdout
    assert head(env) == after_first


def test_a_missing_file_gets_one_clear_line(env: dict[str, str], tmp_path: Path) -> None:
    result = cairn("import-providers", str(tmp_path / "nope.csv"), env=env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "does not exist" in result.stderr


def test_the_sweep_hides_listings_whose_insurance_has_lapsed(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert cairn("import-providers", str(good_file(tmp_path)), env=env).returncode == 0
    now = cairn("checks", "sweep", env=env)
    assert now.returncode == 0 and "Hid 0 listings" in now.stdout
    later = (date.today() + timedelta(days=365)).isoformat()
    swept = cairn("checks", "sweep", "--today", later, env=env)
    assert swept.returncode == 0, swept.stderr
    assert "Hid 2 listings with lapsed insurance:" in swept.stdout
    named = [line for line in swept.stdout.splitlines() if "insurance ran out" in line]
    assert len(named) == 2  # each hidden listing by name, postcode, the day and its id
    assert all(re.search(r"\(\w+ ?\w*\), insurance ran out \d{4}-\d\d-\d\d: ", n) for n in named)
    assert "Hid 0 listings" in cairn("checks", "sweep", "--today", later, env=env).stdout


def test_other_provision_loads_from_a_terminal_and_a_bad_file_loads_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("organisation,service,areas\nCouncil,Lunch club,Atlantis\n", encoding="utf-8")
    refused = cairn("load-other-provision", str(bad), "--source", "Council", env=env)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "line 2: areas: Name the postcode districts" in refused.stderr
    assert '(found "Atlantis")' in refused.stderr and "Nothing was loaded" in refused.stderr
    assert head(env) == 0

    good = tmp_path / "good.csv"
    good.write_text(
        "organisation,service,areas\nCouncil,Lunch club,Ayr\nCouncil,Day centre,KA26\n",
        encoding="utf-8",
    )
    loaded = cairn("load-other-provision", str(good), "--source", "Council", env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "Loaded 2 services from Council." in loaded.stdout
    assert head(env) == 2  # the source started, and loaded in one event
