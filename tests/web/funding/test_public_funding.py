"""/funding as a reader finds it, and its CSV and JSON downloads in their documented shape."""

from __future__ import annotations

import csv
import io
import json
import re

from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.demo.directory import load_demo_data
from cairn.readmodels.funding.open_data import EXPERIMENT_COLUMNS, YEAR_COLUMNS
from cairn.web import create_app
from tests.support.funding import THIS_YEAR, funding_world
from tests.support.learning import People, settle_all


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_shows_years_tiers_funds_and_one_row_per_experiment(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    funding_world(runtime, people)
    html = client.get("/funding").get_data(as_text=True)
    page = text_of(html)
    label = f"{THIS_YEAR}–{(THIS_YEAR + 1) % 100:02d}"
    assert f"Financial year {label}" in page
    assert "1. Universal and preventative" in page and "2. Early help" in page
    assert "North Lanarkshire ADP: Test and learn fund" in page
    # Money as people write it: no pence when whole, pence when there are some.
    assert "£36,000" in page and "£36,000.00" not in page
    assert "£6,500.50" in page and "£500.50 over" in page
    # One row for the experiment, its two cycles inside.
    assert html.count('<strong lang="en">Community lifts</strong>') == 1
    assert "Cycle 1" in page and "Cycle 2" in page
    assert "People came back when the lift was booked for them." in page
    # The team-only experiment: its money counted, never its name.
    assert "Quiet pilot" not in html
    assert "Not yet published: £5,000 in 1 commitment" in page
    assert "<svg" in html and 'aria-hidden="true"' in html


def test_the_page_in_gaelic_keeps_its_figures(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    funding_world(runtime, people)
    html = client.get("/funding", headers={"Accept-Language": "gd"}).get_data(as_text=True)
    assert 'lang="gd"' in html
    assert "£36,000" in html


def test_the_years_csv_has_its_documented_columns_and_the_hidden_total(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    funding_world(runtime, people)
    response = client.get("/funding/years.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == YEAR_COLUMNS
    first = f"{THIS_YEAR}–{(THIS_YEAR + 1) % 100:02d}"
    tier_1 = next(r for r in rows if r["financial_year"] == first and r["tier_number"] == "1")
    assert tier_1["breakdown"] == "tier" and tier_1["available"] == "30000.00"
    funds = [r for r in rows if r["financial_year"] == first and r["breakdown"] == "fund"]
    assert {r["funder"] for r in funds} == {"North Lanarkshire ADP", "Scottish Government"}
    hidden = [r for r in rows if r["breakdown"] == "not_yet_published"]
    assert sum(float(r["committed"]) for r in hidden) == 5000.0


def test_the_experiments_csv_has_a_row_per_commitment_and_one_unnamed_row(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    world = funding_world(runtime, people)
    body = client.get("/funding/experiments.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert tuple(rows[0]) == EXPERIMENT_COLUMNS
    published = [r for r in rows if r["published"] == "true"]
    assert [r["cycle"] for r in published] == ["1", "2"]
    assert {r["experiment_id"] for r in published} == {str(world.cycle_1)}
    assert published[1]["overspent"] == "500.50"
    [hidden] = [r for r in rows if r["published"] == "false"]
    assert hidden["committed"] == "5000.00" and hidden["commitments"] == "1"
    assert hidden["experiment"] == "" and hidden["team"] == ""
    assert "Quiet pilot" not in body


def test_the_json_has_its_documented_shape(
    client: FlaskClient, runtime: Runtime, people: People
) -> None:
    funding_world(runtime, people)
    data = json.loads(client.get("/funding.json").get_data(as_text=True))
    assert set(data) == {
        "shape_version",
        "currency",
        "totals",
        "not_yet_published",
        "financial_years",
        "experiments",
    }
    assert data["totals"] == {"available": "158000.00", "committed": "47000.00", "spent": "9000.50"}
    assert data["not_yet_published"] == {"committed": "5000.00", "commitments": 1}
    year = data["financial_years"][0]
    assert set(year) == {
        "financial_year",
        "starts_on",
        "ends_on",
        "available",
        "committed",
        "not_yet_published",
        "by_tier",
        "by_fund",
    }
    assert year["by_tier"][0] == {
        "number": 1,
        "name": "Universal and preventative",
        "available": "30000.00",
        "committed": year["by_tier"][0]["committed"],
    }
    [experiment] = data["experiments"]
    assert [c["cycle"] for c in experiment["cycles"]] == [1, 2]
    two_funds = experiment["cycles"][1]["commitments"][0]["funds"]
    assert [f["amount"] for f in two_funds] == ["4000.00", "2000.00"]
    assert "Quiet pilot" not in json.dumps(data)


def test_the_demo_shows_a_three_year_fund_across_four_tiers(runtime: Runtime) -> None:
    load_demo_data(runtime)
    settle_all(runtime)
    client = create_app(runtime.settings, runtime, start_projections=True, testing=True)
    page = text_of(client.test_client().get("/funding").get_data(as_text=True))
    assert page.count("4. Specialist care") == 6  # a chart and a table in each of 3 years
    assert "South Ayrshire Health and Social Care Partnership: Carrick Partnership" in page
    assert "£1,200 over" in page  # the third lifts cycle spent a little more than committed
    assert "Edinburgh Carers Partnership Fund" in page  # Leith's, still typed on its experiment
