"""The coverage page: gaps shown, each count a link to its providers, and a map drawn from
the grid references whose accessible equivalent is the table beside it."""

from __future__ import annotations

import re
from html import unescape

from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from tests.support.directory import applied_provider, catch_up, listed_provider


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def row_of(html: str, code: str) -> str:
    match = re.search(rf"<tr>\s*<th scope=\"row\">{code}\b.*?</tr>", html, re.S)
    assert match is not None, code
    return match.group(0)


def test_a_cell_links_to_the_providers_of_that_district_and_service(
    runtime: Runtime, admin_client: FlaskClient
) -> None:
    listed_provider(runtime, name="Ayr Gardens", postcode="KA7 1AA", services=["gardening"])
    listed_provider(
        runtime,
        name="Prestwick Plots",
        postcode="KA9 1AA",
        areas_covered=["KA7"],
        services=["gardening", "personal-care"],
    )
    listed_provider(runtime, name="Ayr Carers", postcode="KA7 2AA", services=["personal-care"])
    listed_provider(runtime, name="Troon Gardens", postcode="KA10 1AA", services=["gardening"])
    html = page(admin_client, "/admin/coverage")
    links = [unescape(h) for h in re.findall(r'href="([^"]*)"', row_of(html, "KA7"))]
    link = next(h for h in links if "service=gardening" in h)
    assert link == "/admin/coverage/providers?district=KA7&service=gardening"
    providers = page(admin_client, link)
    assert "Ayr Gardens" in providers and "Prestwick Plots" in providers
    assert "Ayr Carers" not in providers  # another service
    assert "Troon Gardens" not in providers  # another district


def test_a_district_with_nobody_shows_as_a_gap_with_waiting_and_demand_columns(
    runtime: Runtime, admin_client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["gardening"])
    applied_provider(runtime, postcode="KA26 9AA", services=["gardening"])
    runtime.app.enquiries.record_unmet_demand(district="KA26", services=["gardening"])
    catch_up(runtime)
    html = page(admin_client, "/admin/coverage")
    assert "South Ayrshire (districts: 7; with no provider: 6)" in html
    girvan = row_of(html, "KA26")
    assert "coverage/providers" not in girvan  # nobody to link to
    cells = re.findall(r"<td[^>]*>(.*?)</td>", girvan, re.S)
    waiting, searches, other = cells[-3], cells[-2], cells[-1]
    assert 'href="/admin/queue?kind=applications&amp;district=KA26"' in waiting
    assert re.sub(r"<[^>]+>", "", waiting).startswith("1") and searches.strip() == "1"
    assert other.strip() == "0"


def test_the_map_is_an_image_with_a_title_and_the_table_as_its_equivalent(
    runtime: Runtime, admin_client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["gardening"])
    html = page(admin_client, "/admin/coverage")
    svg = re.search(r"<svg role=\"img\"[^>]*>.*?</svg>", html, re.S)
    assert svg is not None
    assert 'aria-labelledby="coverage-map-title coverage-map-desc"' in svg.group(0)
    assert '<title id="coverage-map-title">' in svg.group(0)
    assert svg.group(0).count("<circle") == 7  # South Ayrshire's districts
    assert "is the one to use with a screen reader" in html
    assert '<table class="cairn-table cairn-coverage">' in html
    assert "http" not in svg.group(0).replace("http://www.w3.org", "")  # nothing fetched


def test_the_csv_lists_every_district_served_with_its_area(
    runtime: Runtime, admin_client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", areas_covered=["KA8"], services=["gardening"])
    lines = page(admin_client, "/admin/coverage.csv").strip().splitlines()
    header = lines[0].split(",")
    gardening = header.index("gardening")
    counts = {line.split(",")[1]: line.split(",")[gardening] for line in lines[1:]}
    assert counts == {"KA6": "0", "KA7": "1", "KA8": "1", "KA9": "0", "KA10": "0", "KA19": "0",
                      "KA26": "0"}  # fmt: skip


def test_the_pages_are_for_admins_only(app: Flask) -> None:
    visitor = app.test_client()
    paths = ("/admin/coverage", "/admin/coverage.csv", "/admin/coverage/providers?district=KA7")
    for path in paths:
        assert visitor.get(path).status_code == 302


def test_one_council_area_can_be_shown_alone(runtime: Runtime, admin_client: FlaskClient) -> None:
    listed_provider(runtime, postcode="KA7 1AA")
    listed_provider(runtime, postcode="PH1 1AA")
    everything = page(admin_client, "/admin/coverage")
    assert "KA26" in everything and "PH2" in everything
    assert 'href="/admin/coverage?area=Perth+and+Kinross"' in everything
    perth = page(admin_client, "/admin/coverage?area=Perth+and+Kinross")
    table = perth[perth.index('<table class="cairn-table cairn-coverage">') :]
    assert "PH2" in table and "KA26" not in table
    assert "KA26" not in perth.split("<svg role=")[1].split("</svg>")[0]
