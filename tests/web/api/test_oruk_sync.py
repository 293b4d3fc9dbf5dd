"""Keeping a copy of the directory through the ORUK API: `modified_after` for what changed (on
or after the instant, as HSDS says), and `format=ndjson` for everything at once, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from tests.support.directory import ADMIN, catch_up, listed_provider
from tests.support.oruk import get_json, schema_for


@pytest.fixture
def three(runtime: Runtime) -> list[UUID]:
    return [
        listed_provider(runtime, name="Ayr Home Help", postcode="KA7 1AA"),
        listed_provider(runtime, name="Barassie Care", postcode="KA10 6AA"),
        listed_provider(
            runtime, name="Carrick Companions", postcode="KA7 3PQ", services=["companionship"]
        ),
    ]


def every_page(client: FlaskClient, query: str = "") -> list[dict[str, Any]]:
    """What a client syncing page by page collects, small pages so paging is crossed."""
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        body = get_json(client, f"/api/oruk/services?per_page=2&page={page}{query}", "ServicePage")
        found += body["contents"]
        if body["last_page"]:
            return found
        page += 1


def newest(services: list[dict[str, Any]]) -> str:
    return max(services, key=lambda s: datetime.fromisoformat(s["last_modified"]))["last_modified"]


def change_description(runtime: Runtime, provider_id: UUID, text: str) -> None:
    runtime.app.directory.propose_edit(provider_id, by=ADMIN, changes={"description": text})
    runtime.app.directory.approve_edit(provider_id, by=ADMIN)
    catch_up(runtime)


def since(moment: str) -> str:
    return "&modified_after=" + moment


def test_an_incremental_sync_gets_only_what_changed(
    runtime: Runtime, client: FlaskClient, three: list[UUID]
) -> None:
    first = every_page(client)
    assert {s["id"] for s in first} == {str(p) for p in three}
    held = {s["id"]: s for s in first}
    last_seen = newest(first)
    boundary = [s["id"] for s in first if s["last_modified"] == last_seen]

    changed = three[0]
    change_description(runtime, changed, "Help at home around Ayr, mornings and evenings.")

    second = every_page(client, since(last_seen))
    # On or after: the changed service, and the one at the very instant asked for again,
    # unchanged; the rest of the directory is not sent.
    assert {s["id"] for s in second} == {str(changed), *boundary}
    for service in second:
        if service["id"] != str(changed):
            assert service == held[service["id"]]
    new = next(s for s in second if s["id"] == str(changed))
    assert new["description"] == "Help at home around Ayr, mornings and evenings."
    assert new["last_modified"] > last_seen

    # From the changed one's own instant, or a microsecond after the old newest: only it.
    assert [s["id"] for s in every_page(client, since(new["last_modified"]))] == [str(changed)]
    just_after = datetime.fromisoformat(last_seen) + timedelta(microseconds=1)
    after = every_page(client, since(just_after.isoformat().replace("+00:00", "Z")))
    assert [s["id"] for s in after] == [str(changed)]

    nothing = get_json(
        client, "/api/oruk/services?modified_after=2999-01-01T00:00:00Z", "ServicePage"
    )
    assert nothing["total_items"] == 0 and nothing["contents"] == []


def test_what_the_public_does_not_see_is_not_a_change(
    runtime: Runtime, client: FlaskClient, three: list[UUID]
) -> None:
    last_seen = newest(every_page(client))
    runtime.app.directory.propose_edit(three[1], by=ADMIN, changes={"description": "Pending."})
    catch_up(runtime)
    after = datetime.fromisoformat(last_seen) + timedelta(microseconds=1)
    assert every_page(client, since(after.isoformat().replace("+00:00", "Z"))) == []


def test_modified_after_combines_with_the_other_filters_and_paging(
    runtime: Runtime, client: FlaskClient, three: list[UUID]
) -> None:
    start = newest(every_page(client))
    for provider_id in three:
        change_description(runtime, provider_id, "Changed for the test.")
    after = since(start) + "&postcode=KA7"
    assert sorted(s["name"] for s in every_page(client, after)) == [
        "Ayr Home Help",
        "Carrick Companions",
    ]
    one = get_json(client, "/api/oruk/services?per_page=1&page=2" + after, "ServicePage")
    assert one["total_items"] == 2 and [s["name"] for s in one["contents"]] == [
        "Carrick Companions"
    ]
    terms = get_json(client, "/api/oruk/taxonomy_terms?search=companionship", "TaxonomyTermPage")
    term = terms["contents"][0]["id"]
    with_term = every_page(client, after + f"&taxonomy_term_id={term}")
    assert [s["name"] for s in with_term] == ["Carrick Companions"]


def test_a_listing_that_leaves_the_directory_is_not_sent(
    runtime: Runtime, client: FlaskClient, three: list[UUID]
) -> None:
    start = newest(every_page(client))
    runtime.app.directory.suspend(three[2], by=ADMIN, reason="Complaint to look into.")
    catch_up(runtime)
    assert str(three[2]) not in {s["id"] for s in every_page(client, since(start))}
    assert str(three[2]) not in {s["id"] for s in every_page(client)}


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2026-12-01", "2026-12-01T00:00:00", "2026-13-01T00:00:00Z", "1"],
)
def test_a_bad_modified_after_is_refused_by_name(client: FlaskClient, value: str) -> None:
    body = get_json(client, f"/api/oruk/services?modified_after={value}", "Error", status=400)
    assert body["parameter"] == "modified_after"


def test_last_modified_is_utc_with_a_z(client: FlaskClient, three: list[UUID]) -> None:
    service = get_json(client, f"/api/oruk/services/{three[0]}", "Service")
    assert service["last_modified"].endswith("Z")
    assert datetime.fromisoformat(service["last_modified"]).utcoffset() == timedelta(0)


# -- format=ndjson ------------------------------------------------------------------------------


def ndjson(client: FlaskClient, query: str = "") -> list[dict[str, Any]]:
    response = client.get("/api/oruk/services?format=ndjson" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/x-ndjson"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.is_streamed
    text = response.get_data(as_text=True)
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_the_ndjson_export_streams_every_service_unpaged(
    client: FlaskClient, three: list[UUID]
) -> None:
    lines = ndjson(client)
    assert [s["name"] for s in lines] == ["Ayr Home Help", "Barassie Care", "Carrick Companions"]
    validator = schema_for(client, "Service")
    for service in lines:
        validator.validate(service)
        assert service == client.get(f"/api/oruk/services/{service['id']}").get_json()


def test_the_ndjson_export_takes_the_filters_and_modified_after(
    runtime: Runtime, client: FlaskClient, three: list[UUID]
) -> None:
    assert [s["name"] for s in ndjson(client, "&postcode=KA10")] == ["Barassie Care"]
    start = newest(ndjson(client))
    change_description(runtime, three[0], "Changed.")
    after = datetime.fromisoformat(start) + timedelta(microseconds=1)
    changed = ndjson(client, since(after.isoformat().replace("+00:00", "Z")))
    assert [s["id"] for s in changed] == [str(three[0])]
    assert ndjson(client, since("2999-01-01T00:00:00Z")) == []


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("format=ndjson&page=2", "page"),
        ("format=ndjson&per_page=10", "per_page"),
        ("format=xml", "format"),
        ("minimal=true", "minimal"),
    ],
)
def test_what_the_export_cannot_honour_is_refused_by_name(
    client: FlaskClient, query: str, parameter: str
) -> None:
    body = get_json(client, f"/api/oruk/services?{query}", "Error", status=400)
    assert body["parameter"] == parameter


def test_cairns_document_describes_the_sync_parameters(client: FlaskClient) -> None:
    document = client.get("/api/oruk/openapi.json").get_json()
    get = document["paths"]["/services"]["get"]
    assert {"modified_after", "format"} <= {p["name"] for p in get["parameters"]}
    ok = get["responses"]["200"]["content"]
    assert ok["application/x-ndjson"]["schema"] == {"$ref": "#/components/schemas/Service"}
