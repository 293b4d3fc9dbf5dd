"""The ORUK API as an outside client checks it: against the official Open Referral UK profile
(../shared/oruk/, CC BY-SA 4.0), not Cairn's own document. Every response of /services/{id},
/services, /taxonomies and /taxonomy_terms, for every demo provider and every provider of the
sample CSV, is valid against the schema the profile's openapi.json gives for it, formats checked.
The documents refer to each other by their published addresses; those are read from the folder,
so nothing here needs the network."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from cairn.bootstrap.runtime import Runtime
from cairn.demo.directory import load_demo_data
from cairn.domain.directory.importer import import_providers
from tests.support.directory import catch_up
from tests.support.stores import SAMPLES

OFFICIAL = SAMPLES.parent / "oruk" / "schema"
PUBLISHED = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
ENDPOINTS = ("/services/{id}", "/services", "/taxonomies", "/taxonomy_terms")

# How many responses each endpoint had validated, by data set and store (printed at the end).
VALIDATED: Counter[tuple[str, str]] = Counter()


def _patched_openapi(document: dict[str, Any]) -> dict[str, Any]:
    """Our copy of openapi.json with the two faults its README names mended, nothing else:
    it declares OpenAPI 3.0.0 while its schemas use JSON Schema 2020-12 (so: 3.1.0, whose
    dialect that is), and a few parameters have the invalid type "time" (so: a string of
    format time)."""

    def mend(value: Any) -> Any:
        if isinstance(value, dict):
            if value.get("type") == "time":
                value = {**value, "type": "string", "format": "time"}
            return {k: mend(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mend(v) for v in value]
        return value

    return {**mend(document), "openapi": "3.1.0"}


def _from_the_folder(uri: str) -> Resource[Any]:
    """The retrieve hook: a published address, read from ../shared/oruk/schema/."""
    if not uri.startswith(PUBLISHED):
        raise NoSuchResource(ref=uri)
    path: Path = OFFICIAL / uri.removeprefix(PUBLISHED)
    contents = json.loads(path.read_text(encoding="utf-8"))
    if path.name == "openapi.json":
        contents = _patched_openapi(contents)
    # The profile's schemas declare no $schema: they are written for 2020-12.
    return DRAFT202012.create_resource(contents)


FORMATS = FormatChecker()


# jsonschema checks "uri" and "date-time" only with optional packages Cairn does not install;
# these two stand in, so a relative link or a time without its offset still fails.
@FORMATS.checks("uri")
def _is_absolute_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc) and " " not in value


@FORMATS.checks("date-time", raises=ValueError)
def _is_rfc3339_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return "T" in value.upper() and datetime.fromisoformat(value).tzinfo is not None


@cache
def official_validator(endpoint: str) -> Draft202012Validator:
    """The official schema of the endpoint's 200 response, as openapi.json gives it."""
    path = endpoint.replace("~", "~0").replace("/", "~1")
    pointer = f"/paths/{path}/get/responses/200/content/application~1json/schema"
    registry: Registry[Any] = Registry(retrieve=_from_the_folder)
    return Draft202012Validator(
        {"$ref": f"{PUBLISHED}openapi.json#{pointer}"},
        registry=registry,
        format_checker=FORMATS,
    )


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
    validated(client, "/taxonomies", "/api/oruk/taxonomies", data)
    terms = validated(client, "/taxonomy_terms", "/api/oruk/taxonomy_terms", data)
    for term in terms["contents"]:
        validated(client, "/services", f"/api/oruk/services?taxonomy_term_id={term['id']}", data)
    return len(ids)


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
