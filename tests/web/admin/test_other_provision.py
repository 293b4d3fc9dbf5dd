"""Other provision in the browser: load a spreadsheet or a feed as a source, see it counted
beside our providers on the coverage board, follow a cell to the services, load the source
again to replace it, and remove it. Bad files load nothing."""

from __future__ import annotations

import io
import json
import re
from html import unescape

from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from tests.support.directory import listed_provider
from tests.support.web import csrf_token

HEADER = "organisation,service,areas,service_types,url\n"
LUNCH = "South Ayrshire Council,Lunch club,KA7;KA8,companionship,https://lunch.example.org\n"
SHED = "VASA,Men's shed,Ayr,,\n"


def load(
    client: FlaskClient, text: str, source: str = "South Ayrshire Council", name: str = "f.csv"
) -> tuple[int, str, str | None]:
    token = csrf_token(client, "/admin/other-provision")
    response = client.post(
        "/admin/other-provision",
        data={"csrf_token": token, "source": source, "file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )
    return response.status_code, response.get_data(as_text=True), response.location


def coverage_row(client: FlaskClient, code: str) -> str:
    html = client.get("/admin/coverage").get_data(as_text=True)
    match = re.search(rf"<tr>\s*<th scope=\"row\">{code}\b.*?</tr>", html, re.S)
    assert match is not None, code
    return match.group(0)


def other_cell(client: FlaskClient, code: str) -> str:
    return re.findall(r"<td[^>]*>(.*?)</td>", coverage_row(client, code), re.S)[-1]


def test_a_spreadsheet_is_counted_beside_our_providers_and_a_cell_leads_to_its_services(
    runtime: Runtime, admin_client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["gardening"])
    status, _html, location = load(admin_client, HEADER + LUNCH + SHED)
    assert status == 302 and location == "/admin/other-provision"
    page = admin_client.get(location).get_data(as_text=True)
    assert "Loaded 2 services from South Ayrshire Council." in page
    assert "South Ayrshire Council" in page and "A spreadsheet" in page

    cell = other_cell(admin_client, "KA7")
    assert re.sub(r"<[^>]+>", "", cell).strip().startswith("2")
    link = unescape(re.search(r'href="([^"]*)"', cell).group(1))  # type: ignore[union-attr]
    assert link == "/admin/coverage/other?district=KA7"
    listed = admin_client.get(link).get_data(as_text=True)
    assert "Lunch club" in listed and "Men&#39;s shed" in listed and "VASA" in listed
    assert 'href="https://lunch.example.org"' in listed
    assert other_cell(admin_client, "KA26").strip() == "0"  # Girvan: nobody else either

    csv_lines = admin_client.get("/admin/coverage.csv").get_data(as_text=True).splitlines()
    column = csv_lines[0].split(",").index("other_provision")
    by_district = {line.split(",")[1]: line.split(",")[column] for line in csv_lines[1:]}
    assert by_district["KA7"] == "2" and by_district["KA8"] == "2" and by_district["KA9"] == "0"


def test_loading_a_source_again_replaces_it_and_removing_it_takes_it_off_the_board(
    runtime: Runtime, admin_client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["gardening"])
    load(admin_client, HEADER + LUNCH + SHED)
    load(admin_client, HEADER + LUNCH, source="south  ayrshire council")  # the same source
    assert re.sub(r"<[^>]+>", "", other_cell(admin_client, "KA7")).strip().startswith("1")
    page = admin_client.get("/admin/other-provision").get_data(as_text=True)
    remove = unescape(re.search(r'href="(/admin/other-provision/[^"]+/remove)"', page).group(1))  # type: ignore[union-attr]
    confirm = admin_client.get(remove).get_data(as_text=True)
    assert "Its 1 service will no longer be counted" in confirm
    token = csrf_token(admin_client, remove)
    response = admin_client.post(remove, data={"csrf_token": token})
    assert response.status_code == 302
    assert other_cell(admin_client, "KA7").strip() == "0"
    assert "No source is loaded yet." in admin_client.get("/admin/other-provision").get_data(
        as_text=True
    )


def test_a_feed_from_another_cairn_is_a_source_and_places_outside_scotland_are_named(
    runtime: Runtime, admin_client: FlaskClient, client: FlaskClient
) -> None:
    listed_provider(runtime, name="Ayr Gardens", postcode="KA7 1AA", services=["gardening"])
    feed = client.get("/api/oruk/services?per_page=50").get_json()
    feed["contents"].append(
        {"id": "x", "name": "Leeds drop-in", "service_areas": [{"name": "Leeds"}]}
    )
    status, _html, location = load(admin_client, json.dumps(feed), "Neighbouring CIC", "feed.json")
    assert status == 302
    page = admin_client.get(location).get_data(as_text=True)
    assert "Loaded 1 service from Neighbouring CIC." in page
    assert "1 service names no place in Scotland and was left out: Leeds drop-in." in page
    assert "An Open Referral UK feed" in page
    listed = admin_client.get("/admin/coverage/other?district=KA7").get_data(as_text=True)
    assert "Ayr Gardens" in listed and "Gardening" in listed  # Cairn's own terms map


def test_bad_rows_are_named_and_nothing_is_loaded(
    runtime: Runtime, admin_client: FlaskClient
) -> None:
    listed_provider(runtime, postcode="KA7 1AA", services=["gardening"])
    status, html, _ = load(admin_client, HEADER + LUNCH + "Bad Org,Somewhere,Atlantis,,\n")
    assert status == 400
    assert "Nothing was loaded" in html and "1 row has a problem" in html
    assert "Atlantis" in html and "Name the postcode districts, towns or council areas" in html
    assert other_cell(admin_client, "KA7").strip() == "0"


def test_a_wrong_file_or_no_name_is_refused_with_a_message(
    runtime: Runtime, admin_client: FlaskClient
) -> None:
    status, html, _ = load(admin_client, "PK\x03\x04 not really", name="book.xlsx")
    assert status == 400 and "not a JSON or CSV text file" in html
    status, html, _ = load(admin_client, HEADER + LUNCH, source="  ")
    assert status == 400 and "Enter the name of the source" in html
    status, html, _ = load(admin_client, "")
    assert (status == 400 and "Choose a file" in html) or "The file is empty" in html
