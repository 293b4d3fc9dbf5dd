"""The ORUK API as an outside client checks it: against the official Open Referral UK profile
(../shared/oruk/, CC BY-SA 4.0), not Cairn's own document. Every response of /services/{id},
/services, /service_at_locations(/{id}), /organizations(/{id}), /taxonomies and /taxonomy_terms,
for every demo provider and every provider of the sample CSV, is valid against the schema the
profile gives for it (see BY_SCHEMA for where that is not its openapi.json), formats checked.
The documents refer to each other by their published addresses; those are read from the folder,
so nothing here needs the network."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from cairn.bootstrap.runtime import Runtime
from cairn.demo.directory import load_demo_data
from cairn.domain.directory.importer import import_providers
from tests.support.directory import catch_up
from tests.support.official_oruk import (
    PUBLISHED,
    SERVICE_AT_LOCATION,
    response_schema,
    validator,
)
from tests.support.stores import SAMPLES

# How many responses each endpoint had validated, by data set and store (printed at the end).
VALIDATED: Counter[tuple[str, str]] = Counter()


@cache
def official_validator(endpoint: str) -> Draft202012Validator:
    """The official schema of the endpoint's 200 response, as openapi.json gives it; for the
    endpoints the profile's openapi.json lacks or misnames, see BY_SCHEMA."""
    return validator(BY_SCHEMA.get(endpoint) or response_schema(endpoint))


def _page_of(item_schema: str) -> dict[str, Any]:
    """A page of records, in the profile's own Page envelope."""
    return {
        "allOf": [{"$ref": f"{PUBLISHED}openapi.json#/components/schemas/Page"}],
        "properties": {"contents": {"type": "array", "items": {"$ref": PUBLISHED + item_schema}}},
    }


# HSDS's /organizations endpoints are not in the UK profile's openapi.json: their answers are
# checked against the profile's organization schemas, in its page envelope. Its openapi.json
# gives compiled/service.json for /service_at_locations/{id}, where HSDS 3.0 answers with a
# service_at_location (as Cairn does): that one is checked against the profile's
# compiled/service_at_location.json.
BY_SCHEMA: dict[str, dict[str, Any]] = {
    "/service_at_locations/{id}": {"$ref": SERVICE_AT_LOCATION},
    "/organizations": _page_of("compiled/organization_list.json"),
    "/organizations?full_service=true": _page_of("compiled/organization.json"),
    "/organizations/{id}": {"$ref": PUBLISHED + "compiled/organization.json"},
}


def validated(client: FlaskClient, endpoint: str, url: str, data: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    errors = [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in official_validator(endpoint).iter_errors(body)
    ]
    assert not errors, f"{url} breaks the official schema:\n" + "\n".join(errors[:20])
    VALIDATED[data, endpoint] += 1
    return body


def validate_the_directory(client: FlaskClient, data: str) -> int:
    """Every page of /services (small pages, so paging is covered), every service on its own,
    and the taxonomy endpoints; returns how many services there were."""
    ids: list[str] = []
    page_number = 1
    while True:
        url = f"/api/oruk/services?per_page=5&page={page_number}"
        page = validated(client, "/services", url, data)
        ids.extend(s["id"] for s in page["contents"])
        if page["last_page"]:
            break
        page_number += 1
    assert len(ids) == page["total_items"] == len(set(ids))
    for service_id in ids:
        validated(client, "/services/{id}", f"/api/oruk/services/{service_id}", data)
    validate_the_places(client, data, ids)
    validate_the_organizations(client, data, ids)
    validated(client, "/taxonomies", "/api/oruk/taxonomies", data)
    terms = validated(client, "/taxonomy_terms", "/api/oruk/taxonomy_terms", data)
    for term in terms["contents"]:
        validated(client, "/services", f"/api/oruk/services?taxonomy_term_id={term['id']}", data)
    return len(ids)


def every_page(client: FlaskClient, endpoint: str, url: str, data: str) -> list[dict[str, Any]]:
    """Every record of a list, read in pages of five, each page validated."""
    contents: list[dict[str, Any]] = []
    page_number = 1
    while True:
        page = validated(client, endpoint, f"{url}per_page=5&page={page_number}", data)
        contents.extend(page["contents"])
        if page["last_page"]:
            assert len(contents) == page["total_items"]
            return contents
        page_number += 1


def validate_the_places(client: FlaskClient, data: str, service_ids: list[str]) -> None:
    """Every service at every district it covers, listed and on its own, and the lists
    searched by each service's first district, by postcode and by proximity."""
    places = every_page(client, "/service_at_locations", "/api/oruk/service_at_locations?", data)
    assert {p["service_id"] for p in places} == set(service_ids)
    assert len({p["id"] for p in places}) == len(places)
    for place in places:
        one = validated(
            client,
            "/service_at_locations/{id}",
            f"/api/oruk/service_at_locations/{place['id']}",
            data,
        )
        assert one["location"] == place["location"]
    districts = sorted({p["location"]["name"].split()[2] for p in places})
    for district in districts:
        for search in (f"postcode={district}", f"postcode={district}&proximity=8000"):
            found = every_page(
                client, "/service_at_locations", f"/api/oruk/service_at_locations?{search}&", data
            )
            assert found, search


def validate_the_organizations(client: FlaskClient, data: str, service_ids: list[str]) -> None:
    """Every organization, listed (plain and with its service) and on its own; every
    service's organization_id finds its organization."""
    listed = every_page(client, "/organizations", "/api/oruk/organizations?", data)
    full = every_page(
        client,
        "/organizations?full_service=true",
        "/api/oruk/organizations?full_service=true&",
        data,
    )
    assert sorted(s["id"] for o in full for s in o["services"]) == sorted(service_ids)
    for service_id in service_ids:
        service = client.get(f"/api/oruk/services/{service_id}").get_json()
        url = f"/api/oruk/organizations/{service['organization_id']}"
        one = validated(client, "/organizations/{id}", url, data)
        assert one in listed
        whole = validated(client, "/organizations/{id}", url + "?full_service=true", data)
        assert [s["id"] for s in whole["services"]] == [service_id]


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    print("\nresponses validated against the official ORUK schemas:")
    for (data, endpoint), count in sorted(VALIDATED.items()):
        print(f"  {data}: {endpoint}: {count}")


def test_every_demo_service_is_valid_against_the_official_profile(
    runtime: Runtime, client: FlaskClient, backend: str
) -> None:
    load_demo_data(runtime)
    catch_up(runtime)
    # The demo's twelve approved providers.
    assert validate_the_directory(client, f"demo on {backend}") >= 12


def test_every_sample_csv_service_is_valid_against_the_official_profile(
    runtime: Runtime, client: FlaskClient, backend: str
) -> None:
    sample = (SAMPLES / "providers-sample.csv").read_text(encoding="utf-8")
    plan = import_providers(runtime.app, io.StringIO(sample), today=date(2026, 12, 1))
    assert plan.ok
    catch_up(runtime)
    assert validate_the_directory(client, f"sample CSV on {backend}") >= 20


def test_the_official_schemas_are_really_applied(client: FlaskClient) -> None:
    """The check can fail: a null where the profile wants a string, or a term id that is not
    a UUID, is refused."""
    terms = client.get("/api/oruk/taxonomy_terms").get_json()
    validator = official_validator("/taxonomy_terms")
    assert validator.is_valid(terms)
    with_a_null = {**terms, "contents": [{**terms["contents"][0], "parent_id": None}]}
    assert not validator.is_valid(with_a_null)
    with_a_slug = {**terms, "contents": [{**terms["contents"][0], "id": "personal-care"}]}
    assert not validator.is_valid(with_a_slug)
    # The schemas named in BY_SCHEMA bite too: a location needs its type.
    place = {
        "id": "3a19ff88-4620-4d17-9830-ac1d859eb5d5",
        "location": {"id": "3a19ff88-4620-4d17-9830-ac1d859eb5d5"},
    }
    assert not official_validator("/service_at_locations/{id}").is_valid(place)
    assert not official_validator("/organizations/{id}").is_valid({"id": "x", "name": "A"})


def test_every_line_of_the_ndjson_export_is_a_valid_official_service(
    runtime: Runtime, client: FlaskClient, backend: str
) -> None:
    """format=ndjson: one service a line, each valid as the profile's /services/{id} answer,
    and every service there is (as many as /services counts)."""
    load_demo_data(runtime)
    catch_up(runtime)
    response = client.get("/api/oruk/services?format=ndjson")
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    lines = response.get_data(as_text=True).splitlines()
    validator = official_validator("/services/{id}")
    for line in lines:
        errors = [e.message for e in validator.iter_errors(json.loads(line))]
        assert not errors, line[:200] + "\n" + "\n".join(errors[:10])
        VALIDATED[f"demo on {backend}", "/services?format=ndjson (lines)"] += 1
    total = client.get("/api/oruk/services?per_page=1").get_json()["total_items"]
    assert len(lines) == total >= 12
