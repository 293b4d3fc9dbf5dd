"""The ORUK API's places and organizations: each covered postcode district is a location at the
district's centre, each service × district a service_at_location, searchable by postcode and by
proximity; each micro-provider is the organization running its one service."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.geo.districts import packaged_districts
from tests.support.directory import listed_provider
from tests.support.oruk import get_json

# From Troon's district centre (KA10): Prestwick's (KA9) is about 6.4 km, Ayr's (KA8) 9.0 km
# and KA7's 11.4 km.


@pytest.fixture
def providers(runtime: Runtime) -> dict[str, UUID]:
    return {
        "Ayr": listed_provider(
            runtime, name="Ayr Helpers", postcode="KA7 3PQ", areas_covered=["KA8"]
        ),
        "Troon": listed_provider(runtime, name="Troon Helpers", postcode="KA10 6AA"),
    }


def places(client: FlaskClient, query: str) -> list[tuple[str, str]]:
    page = get_json(client, f"/api/oruk/service_at_locations?{query}", "ServiceAtLocationPage")
    return [(p["service"]["name"], p["location"]["name"].split()[2]) for p in page["contents"]]


def test_each_covered_district_is_a_location_at_its_centre(
    client: FlaskClient, providers: dict[str, UUID]
) -> None:
    assert places(client, "") == [
        ("Ayr Helpers", "KA7"),
        ("Ayr Helpers", "KA8"),
        ("Troon Helpers", "KA10"),
    ]
    page = get_json(client, "/api/oruk/service_at_locations?postcode=KA8", "ServiceAtLocationPage")
    (found,) = page["contents"]
    centre = packaged_districts()["KA8"]
    assert found["service_id"] == str(providers["Ayr"])
    assert found["location"]["location_type"] == "physical"
    assert (found["location"]["latitude"], found["location"]["longitude"]) == (
        centre.latitude,
        centre.longitude,
    )
    # Every service that covers KA8 shares the district's one location.
    assert found["location_id"] == found["location"]["id"]


def test_postcode_finds_the_services_covering_its_district(
    client: FlaskClient, providers: dict[str, UUID]
) -> None:
    assert places(client, "postcode=KA7 1AA") == [("Ayr Helpers", "KA7")]
    assert places(client, "postcode=KA10") == [("Troon Helpers", "KA10")]
    assert places(client, "postcode=IV1") == []


def test_proximity_finds_the_districts_within_that_many_metres_nearest_first(
    client: FlaskClient, providers: dict[str, UUID]
) -> None:
    assert places(client, "postcode=KA10&proximity=0") == [("Troon Helpers", "KA10")]
    assert places(client, "postcode=KA10&proximity=10000") == [
        ("Troon Helpers", "KA10"),
        ("Ayr Helpers", "KA8"),
    ]
    assert places(client, "postcode=KA10 6AA&proximity=12000") == [
        ("Troon Helpers", "KA10"),
        ("Ayr Helpers", "KA8"),
        ("Ayr Helpers", "KA7"),
    ]
    # /services takes proximity too: the services with a district near enough.
    page = get_json(client, "/api/oruk/services?postcode=KA10&proximity=10000", "ServicePage")
    assert [s["name"] for s in page["contents"]] == ["Troon Helpers", "Ayr Helpers"]


def test_the_list_takes_the_filters_services_take_and_pages(
    client: FlaskClient, providers: dict[str, UUID]
) -> None:
    assert places(client, "search=Troon") == [("Troon Helpers", "KA10")]
    page = get_json(
        client, "/api/oruk/service_at_locations?per_page=2&page=2", "ServiceAtLocationPage"
    )
    assert (page["total_items"], page["total_pages"], page["size"]) == (3, 2, 1)
    past = get_json(
        client, "/api/oruk/service_at_locations?per_page=2&page=3", "ServiceAtLocationPage"
    )
    assert (past["total_items"], past["contents"], past["page_number"]) == (3, [], 3)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("proximity=5000", "proximity"),  # from where?
        ("postcode=KA10&proximity=far", "proximity"),
        ("postcode=KA10&proximity=-1", "proximity"),
        ("postcode=KA10&proximity=9999999", "proximity"),
        ("postcode=nowhere&proximity=100", "postcode"),
        ("minimum_age=18", "minimum_age"),
        ("modified_after=yesterday", "modified_after"),
        ("format=ndjson", "format"),  # the feed is of services
    ],
)
def test_what_cannot_be_honoured_is_refused_by_name(
    client: FlaskClient, query: str, parameter: str
) -> None:
    body = get_json(client, f"/api/oruk/service_at_locations?{query}", "Error", status=400)
    assert body["parameter"] == parameter


def test_a_service_links_to_its_services_at_locations(
    client: FlaskClient, providers: dict[str, UUID]
) -> None:
    service = get_json(client, f"/api/oruk/services/{providers['Ayr']}", "Service")
    links = service["service_at_locations"]
    assert len(links) == 2
    for link in links:
        one = get_json(client, f"/api/oruk/service_at_locations/{link['id']}", "ServiceAtLocation")
        assert one["service"] == service
        assert one["location_id"] == link["location_id"] == one["location"]["id"]
    for unknown in (str(uuid4()), "not-an-id"):
        get_json(client, f"/api/oruk/service_at_locations/{unknown}", "Error", status=404)


def test_every_service_s_organization_resolves(
    client: FlaskClient, providers: dict[str, UUID]
) -> None:
    for provider_id in providers.values():
        service = get_json(client, f"/api/oruk/services/{provider_id}", "Service")
        url = f"/api/oruk/organizations/{service['organization_id']}"
        organization = get_json(client, url, "Organization")
        assert organization == service["organization"]
        whole = get_json(client, url + "?full_service=true", "Organization")
        assert whole["services"] == [service]
    for unknown in (str(uuid4()), "not-an-id"):
        get_json(client, f"/api/oruk/organizations/{unknown}", "Error", status=404)


def test_services_filter_by_organization_with_the_other_filters(
    client: FlaskClient, providers: dict[str, UUID]
) -> None:
    ayr = get_json(client, f"/api/oruk/services/{providers['Ayr']}", "Service")

    def names(query: str, path: str = "services") -> list[str]:
        page = get_json(
            client,
            f"/api/oruk/{path}?{query}",
            "ServicePage" if path == "services" else "ServiceAtLocationPage",
        )
        return sorted({item.get("name") or item["service"]["name"] for item in page["contents"]})

    mine = f"organization_id={ayr['organization_id']}"
    assert names(mine) == ["Ayr Helpers"]
    assert names(f"{mine}&search=troon") == []  # combined with AND
    assert names(f"organization_id={uuid4()}") == []  # nobody's: an empty page, not everyone
    assert names(mine, path="service_at_locations") == ["Ayr Helpers"]


def test_organizations_list_and_page(client: FlaskClient, providers: dict[str, UUID]) -> None:
    page = get_json(client, "/api/oruk/organizations", "OrganizationPage")
    assert [o["name"] for o in page["contents"]] == ["Ayr Helpers", "Troon Helpers"]
    assert all("services" not in o for o in page["contents"])
    full = get_json(client, "/api/oruk/organizations?full_service=true", "OrganizationPage")
    assert [[s["id"] for s in o["services"]] for o in full["contents"]] == [
        [str(providers["Ayr"])],
        [str(providers["Troon"])],
    ]
    second = get_json(client, "/api/oruk/organizations?per_page=1&page=2", "OrganizationPage")
    assert [o["name"] for o in second["contents"]] == ["Troon Helpers"]
    searched = get_json(client, "/api/oruk/organizations?search=Troon", "OrganizationPage")
    assert [o["name"] for o in searched["contents"]] == ["Troon Helpers"]
    body = get_json(client, "/api/oruk/organizations?full_service=maybe", "Error", status=400)
    assert body["parameter"] == "full_service"
