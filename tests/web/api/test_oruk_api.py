"""The Open Referral UK API: every response matches the published OpenAPI document."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from tests.support.directory import applied_provider, approve, catch_up, listed_provider
from tests.support.oruk import get_json


@pytest.fixture
def listed(runtime: Runtime) -> UUID:
    return listed_provider(
        runtime,
        name="Heathfield Home Help",
        postcode="KA7 3PQ",
        areas_covered=["KA8"],
        services=["personal-care", "domestic-help"],
        availability=["mon-morning", "tue-morning", "tue-evening"],
        languages=["en", "gd"],
        price_per_hour=Decimal("19.50"),
    )


def test_service_info_and_openapi_document(client: FlaskClient) -> None:
    info = get_json(client, "/api/oruk/", "ServiceInfo")
    assert info["version"] == "3.0"
    assert info["openapi_url"].endswith("/api/oruk/openapi.json")
    assert info["profile"] == "https://github.com/openreferral/uk-profile"  # the profile's address
    document = client.get("/api/oruk/openapi.json").get_json()
    assert set(document["paths"]) == {
        "/",
        "/services",
        "/services/{id}",
        "/taxonomies",
        "/taxonomies/{id}",
        "/taxonomy_terms",
        "/taxonomy_terms/{id}",
        "/service_at_locations",
        "/service_at_locations/{id}",
        "/organizations",
        "/organizations/{id}",
    }


def test_a_service_carries_every_field(client: FlaskClient, listed: UUID) -> None:
    service = get_json(client, f"/api/oruk/services/{listed}", "Service")
    assert service["id"] == str(listed)
    assert service["name"] == "Heathfield Home Help"
    assert service["description"] == "Friendly help at home."
    assert service["url"].endswith(f"/providers/{listed}")
    assert service["email"].endswith("@cairn.example")
    assert service["status"] == "active"
    assert [a["name"] for a in service["service_areas"]] == ["KA7", "KA8"]
    assert [(lang["code"], lang["name"]) for lang in service["languages"]] == [
        ("en", "English"),
        ("gd", "Scottish Gaelic"),
    ]
    assert {(a["extent_type"], a["extent"]) for a in service["service_areas"]} == {
        ("text", "KA7"),
        ("text", "KA8"),
    }
    # One weekly schedule per time of day, on just the days of that slot.
    assert [(s["byday"], s["opens_at"]) for s in service["schedules"]] == [
        ("MO,TU", "08:00"),
        ("TU", "17:00"),
    ]
    assert service["cost_options"][0]["amount"] == 19.5
    assert service["cost_options"][0]["currency"] == "GBP"
    assert service["organization"]["name"] == "Heathfield Home Help"
    assert service["last_modified"]
    assert "assured_date" in service
    # Term ids are UUIDs derived from the service-type keys; the key is the term's code.
    assert [a["taxonomy_term"]["code"] for a in service["attributes"]] == [
        "personal-care",
        "domestic-help",
    ]
    assert [a["taxonomy_term_id"] for a in service["attributes"]] == [
        a["taxonomy_term"]["id"] for a in service["attributes"]
    ]
    assert all(UUID(a["taxonomy_term_id"]) for a in service["attributes"])


def test_optional_fields_without_a_value_are_left_out_not_null(
    runtime: Runtime, client: FlaskClient
) -> None:
    bare = listed_provider(
        runtime, name="Bare Minimum", postcode="KA7 3PQ", website=None, price_per_hour=None
    )
    service = client.get(f"/api/oruk/services/{bare}").get_json()

    def nulls(value: Any, path: str = "") -> list[str]:
        if isinstance(value, dict):
            return [n for k, v in value.items() for n in nulls(v, f"{path}/{k}")]
        if isinstance(value, list):
            return [n for i, v in enumerate(value) for n in nulls(v, f"{path}/{i}")]
        return [path] if value is None else []

    assert nulls(service) == []
    assert "website" not in service["organization"]
    assert "alert" not in service  # they have not said whether they take on new people
    assert service["fees_description"] == "Ask the provider about prices."


def test_services_search_by_text_term_and_postcode(
    runtime: Runtime, client: FlaskClient, listed: UUID
) -> None:
    listed_provider(runtime, name="Prestwick Gardens", postcode="KA9 1LB", services=["gardening"])

    def ids(query: str) -> list[str]:
        page = get_json(client, f"/api/oruk/services?{query}", "ServicePage")
        return [s["name"] for s in page["contents"]]

    assert ids("") == ["Heathfield Home Help", "Prestwick Gardens"]
    assert ids("search=garden") == ["Prestwick Gardens"]
    terms = client.get("/api/oruk/taxonomy_terms").get_json()["contents"]
    personal_care = next(t["id"] for t in terms if t["code"] == "personal-care")
    assert ids(f"taxonomy_term_id={personal_care}") == ["Heathfield Home Help"]
    # The service-type key, the term id before ids were UUIDs, is still accepted for now.
    assert ids("taxonomy_term_id=personal-care") == ["Heathfield Home Help"]
    assert ids("postcode=KA8+2AB") == ["Heathfield Home Help"]
    assert ids("postcode=KA9") == ["Prestwick Gardens"]


def test_the_page_envelope_and_a_page_past_the_end(runtime: Runtime, client: FlaskClient) -> None:
    for n in range(5):
        applied = applied_provider(runtime, name=f"Helper {n}")
        approve(runtime, applied.id)
    catch_up(runtime)
    page = get_json(client, "/api/oruk/services?per_page=2&page=2", "ServicePage")
    assert {k: page[k] for k in page if k != "contents"} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 2,
        "size": 2,
        "first_page": False,
        "last_page": False,
        "empty": False,
    }
    assert get_json(client, "/api/oruk/services", "ServicePage")["size"] == 5  # default 50
    beyond = get_json(client, "/api/oruk/services?page=999&per_page=2", "ServicePage")
    assert beyond["page_number"] == 999 and beyond["contents"] == []
    assert beyond["total_items"] == 5 and beyond["last_page"] is True and beyond["empty"]
    terms = get_json(client, "/api/oruk/taxonomy_terms?per_page=3&page=2", "TaxonomyTermPage")
    assert terms["page_number"] == 2 and terms["size"] == 3 and terms["total_pages"] > 2


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("per_page=0", "per_page"),
        ("per_page=null", "per_page"),
        ("per_page=10000", "per_page"),
        ("minimum_age=18", "minimum_age"),
        ("maximum_age=65", "maximum_age"),
        ("modified_after=yesterday", "modified_after"),
        ("organization_id=acme", "organization_id"),
        ("minimal=true", "minimal"),
        ("full=maybe", "full"),
        ("format=csv", "format"),
        ("day=someday", "day"),
        ("start_time=9am", "start_time"),
        ("taxonomy_id=not-an-id", "taxonomy_id"),
    ],
)
def test_a_parameter_cairn_cannot_honour_is_refused_by_name(
    client: FlaskClient, query: str, parameter: str
) -> None:
    body = get_json(client, f"/api/oruk/services?{query}", "Error", status=400)
    assert body["parameter"] == parameter and parameter in body["message"]


def test_day_and_times_combine_with_the_other_filters(
    runtime: Runtime, client: FlaskClient, listed: UUID
) -> None:
    """Heathfield works Monday and Tuesday mornings and Tuesday evenings."""

    def names(query: str) -> list[str]:
        page = get_json(client, f"/api/oruk/services?{query}", "ServicePage")
        return [s["name"] for s in page["contents"]]

    listed_provider(
        runtime, name="Weekend Gardens", services=["gardening"], availability=["sat-morning"]
    )
    assert names("day=TU") == ["Heathfield Home Help"]
    assert names("day=monday&start_time=17:00") == []  # Monday, but only mornings
    assert names("day=TU&start_time=17:00&end_time=22:00") == ["Heathfield Home Help"]
    assert names("day=SA,SU") == ["Weekend Gardens"]
    assert names("end_time=07:00") == []  # no time of day ends that early
    assert names(f"taxonomy_id={uuid4()}") == []  # another taxonomy: none of ours
    ours = client.get("/api/oruk/taxonomies").get_json()["contents"][0]["id"]
    assert names(f"taxonomy_id={ours}&search=garden") == ["Weekend Gardens"]


def test_an_empty_directory_gives_an_empty_page(client: FlaskClient) -> None:
    page = get_json(client, "/api/oruk/services", "ServicePage")
    assert page["empty"] is True and page["total_items"] == 0 and page["contents"] == []


@pytest.mark.parametrize("query", ["postcode=NOPE", "taxonomy_term_id=plumbing"])
def test_bad_filters_get_a_clear_400(client: FlaskClient, query: str) -> None:
    body = get_json(client, f"/api/oruk/services?{query}", "Error", status=400)
    assert body["message"]


def test_a_request_refused_before_the_view_still_answers_in_json_with_cors(
    client: FlaskClient,
) -> None:
    response = client.get("/api/oruk/services?search=a%00b")
    assert response.status_code == 400
    assert response.is_json and "NUL" in response.get_json()["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("query", ['search="', "search=(", "search=AND+OR", "search=" + "y" * 5000])
def test_odd_search_text_never_fails(client: FlaskClient, listed: UUID, query: str) -> None:
    get_json(client, f"/api/oruk/services?{query}", "ServicePage")


@pytest.mark.parametrize("state", ["unknown", "not-a-uuid", "pending"])
def test_unknown_or_unapproved_services_are_404(
    runtime: Runtime, client: FlaskClient, state: str
) -> None:
    service_id = {"unknown": str(uuid4()), "not-a-uuid": "abc"}.get(state)
    if service_id is None:
        service_id = str(applied_provider(runtime, name="Pending").id)
        catch_up(runtime)
    get_json(client, f"/api/oruk/services/{service_id}", "Error", status=404)


def test_taxonomies_and_terms(client: FlaskClient) -> None:
    taxonomies = get_json(client, "/api/oruk/taxonomies", "TaxonomyPage")
    assert taxonomies["total_items"] == 1
    terms = get_json(client, "/api/oruk/taxonomy_terms", "TaxonomyTermPage")
    codes = [t["code"] for t in terms["contents"]]
    assert "personal-care" in codes and "gardening" in codes
    assert all(UUID(t["id"]) for t in terms["contents"])
    assert all(t["taxonomy_id"] == taxonomies["contents"][0]["id"] for t in terms["contents"])


def test_one_taxonomy_and_one_term_by_id(client: FlaskClient) -> None:
    taxonomy = client.get("/api/oruk/taxonomies").get_json()["contents"][0]
    assert get_json(client, f"/api/oruk/taxonomies/{taxonomy['id']}", "Taxonomy") == taxonomy
    get_json(client, f"/api/oruk/taxonomies/{uuid4()}", "Error", status=404)
    terms = client.get("/api/oruk/taxonomy_terms?per_page=200").get_json()["contents"]
    for term in terms:
        assert get_json(client, f"/api/oruk/taxonomy_terms/{term['id']}", "TaxonomyTerm") == term
    get_json(client, f"/api/oruk/taxonomy_terms/{uuid4()}", "Error", status=404)


def test_term_filters_combine(client: FlaskClient) -> None:
    def codes(query: str) -> list[str]:
        page = get_json(
            client, f"/api/oruk/taxonomy_terms?per_page=200&{query}", "TaxonomyTermPage"
        )
        return [t["code"] for t in page["contents"]]

    every = codes("")
    assert codes("search=garden") == ["gardening"]
    assert codes("top_only=true") == every  # every term is top-level
    assert codes(f"parent_id={uuid4()}") == []
    assert codes(f"taxonomy_id={uuid4()}") == []
    ours = client.get("/api/oruk/taxonomies").get_json()["contents"][0]["id"]
    assert codes(f"taxonomy_id={ours}&search=garden") == ["gardening"]
    bad = get_json(client, "/api/oruk/taxonomy_terms?top_only=perhaps", "Error", status=400)
    assert bad["parameter"] == "top_only"


def test_routing_answers_are_json_with_cors_too(client: FlaskClient) -> None:
    missing = client.get("/api/oruk/no-such-thing")
    assert missing.status_code == 404 and missing.is_json
    assert missing.headers["Access-Control-Allow-Origin"] == "*"
    wrong_method = client.post("/api/oruk/services")
    assert wrong_method.status_code == 405 and wrong_method.is_json
    assert "GET" in wrong_method.headers["Allow"]
    assert wrong_method.headers["Access-Control-Allow-Origin"] == "*"
    moved = client.get("/api/oruk")
    assert moved.status_code in (301, 308) and moved.is_json
    assert moved.get_json()["location"].endswith("/api/oruk/")
    assert moved.headers["Access-Control-Allow-Origin"] == "*"
    site = client.get("/no-such-page")
    assert site.status_code == 404 and not site.is_json  # the site keeps its own pages
