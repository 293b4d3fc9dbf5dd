"""The OpenAPI 3.1 document for Cairn's Open Referral UK API (its schemas are JSON Schema
2020-12, so tests validate real responses against them). As in the UK profile, an optional
field without a value is absent from a response, never `null`: optional fields are typed as
what they hold and left out of `required`."""

from __future__ import annotations

from typing import Any

from cairn.domain.directory.fields import PUBLIC_FIELDS

STRING = {"type": "string"}
UUID_STRING = {"type": "string", "format": "uuid"}
REF = "#/components/schemas/"


def _array_of(name: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": REF + name}}


def _object(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


def _page_of(name: str) -> dict[str, Any]:
    return _object(
        [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
        {
            "total_items": {"type": "integer", "minimum": 0},
            "total_pages": {"type": "integer", "minimum": 1},
            "page_number": {"type": "integer", "minimum": 1},
            "size": {"type": "integer", "minimum": 0},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": _array_of(name),
        },
    )


def _organization_fields() -> dict[str, Any]:
    """The organization's plain fields, typed as the listing's field specification places them
    (oruk.service builds the same ones from the same entries)."""
    return {
        place.removeprefix("organization."): STRING
        for f in PUBLIC_FIELDS
        for place in f.oruk
        if place.startswith("organization.")
    }


DATE = {"type": "string", "format": "date"}

_SERVICE_PROPERTIES: dict[str, Any] = {
    "id": UUID_STRING,
    "organization_id": UUID_STRING,
    "name": {"type": "string", "minLength": 1},
    "description": {"type": "string"},
    "url": {"type": "string", "format": "uri"},
    "email": {"type": "string", "format": "email"},
    "status": {"enum": ["active", "inactive", "defunct", "temporarily closed"]},
    "fees_description": STRING,
    "eligibility_description": STRING,
    "assured_date": DATE,
    # Whether they are taking on new people ("Full until 2027-03-01"), when they said.
    "alert": STRING,
    "last_modified": {"type": "string", "format": "date-time"},
    "organization": {"$ref": REF + "Organization"},
    "service_areas": _array_of("ServiceArea"),
    "languages": _array_of("Language"),
    "schedules": _array_of("Schedule"),
    "cost_options": _array_of("CostOption"),
    "contacts": _array_of("Contact"),
    "attributes": _array_of("Attribute"),
    "service_at_locations": _array_of("ServiceAtLocationLink"),
}

SCHEMAS: dict[str, Any] = {
    "ServiceInfo": _object(
        ["version", "profile", "openapi_url"],
        {
            "version": {"type": "string"},
            "profile": {"type": "string"},
            "openapi_url": {"type": "string"},
        },
    ),
    "Organization": _object(
        ["id", "name", "description"],
        {
            "id": UUID_STRING,
            **_organization_fields(),
            # With full_service=true: the one service the organization runs.
            "services": _array_of("Service"),
        },
    ),
    "ServiceArea": _object(
        ["id", "service_id", "name"],
        {
            "id": UUID_STRING,
            "service_id": UUID_STRING,
            "name": {"type": "string", "pattern": "^[A-Z]{1,2}[0-9][A-Z0-9]?$|^GIR$"},
            "description": STRING,
            "extent": STRING,
            "extent_type": {"const": "text"},
        },
    ),
    "Language": _object(
        ["id", "service_id", "name", "code"],
        {
            "id": UUID_STRING,
            "service_id": UUID_STRING,
            "name": {"type": "string", "description": "The language's English name"},
            "code": {"type": "string", "pattern": "^[a-z]{2}$"},
        },
    ),
    "Schedule": _object(
        ["id", "service_id", "freq"],
        {
            "id": UUID_STRING,
            "service_id": UUID_STRING,
            "freq": {"enum": ["WEEKLY", "MONTHLY"]},
            "byday": {
                "type": "string",
                "pattern": "^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$",
            },
            "opens_at": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
            "closes_at": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
            "description": STRING,
        },
    ),
    "CostOption": _object(
        ["id", "service_id", "amount", "currency"],
        {
            "id": UUID_STRING,
            "service_id": UUID_STRING,
            "amount": {"type": "number", "exclusiveMinimum": 0},
            "currency": {"const": "GBP"},
            "amount_description": STRING,
            "option": STRING,
        },
    ),
    "Phone": _object(["id", "number"], {"id": UUID_STRING, "number": {"type": "string"}}),
    "Contact": _object(
        ["id", "service_id", "name"],
        {
            "id": UUID_STRING,
            "service_id": UUID_STRING,
            "name": {"type": "string"},
            "email": STRING,
            "phones": _array_of("Phone"),
        },
    ),
    "Taxonomy": _object(
        ["id", "name", "description"],
        {
            "id": UUID_STRING,
            "name": {"type": "string"},
            "description": {"type": "string"},
            "uri": STRING,
            "version": STRING,
        },
    ),
    "TaxonomyTerm": _object(
        ["id", "code", "name", "description", "taxonomy_id"],
        {
            "id": UUID_STRING,
            "code": {"type": "string", "description": "The service-type key, like personal-care"},
            "name": {"type": "string"},
            "description": {"type": "string"},
            "taxonomy": STRING,
            "language": STRING,
            "taxonomy_id": UUID_STRING,
        },
    ),
    "Attribute": _object(
        ["id", "link_id", "link_type", "taxonomy_term_id", "taxonomy_term"],
        {
            "id": UUID_STRING,
            "link_id": UUID_STRING,
            "link_type": {"type": "string"},
            "link_entity": {"type": "string"},
            "taxonomy_term_id": UUID_STRING,
            "taxonomy_term": {"$ref": REF + "TaxonomyTerm"},
        },
    ),
    "Service": {
        "type": "object",
        "required": [
            "id",
            "name",
            "description",
            "url",
            "email",
            "status",
            "service_areas",
            "languages",
            "schedules",
            "cost_options",
            "organization",
            "last_modified",
        ],
        "properties": _SERVICE_PROPERTIES,
    },
    "ServicePage": _page_of("Service"),
    "ServiceAtLocationLink": _object(
        ["id", "service_id", "location_id"],
        {"id": UUID_STRING, "service_id": UUID_STRING, "location_id": UUID_STRING},
    ),
    "Location": _object(
        ["id", "location_type", "name"],
        {
            "id": UUID_STRING,
            "location_type": {"const": "physical"},
            "name": {"type": "string", "description": "Postcode district KA7 (Ayr)"},
            "description": STRING,
            # The district's centre (WGS84); absent for a district Cairn has no centre for.
            "latitude": {"type": "number", "minimum": 49, "maximum": 61},
            "longitude": {"type": "number", "minimum": -9, "maximum": 2},
        },
    ),
    "ServiceSummary": {
        "type": "object",
        "description": "A service's one-to-one fields and its organization",
        "required": ["id", "name", "status", "organization"],
        "properties": {
            name: value
            for name, value in _SERVICE_PROPERTIES.items()
            if value.get("type") != "array"
        },
    },
    "ServiceAtLocation": _object(
        ["id", "service_id", "location_id", "service", "location"],
        {
            "id": UUID_STRING,
            "service_id": UUID_STRING,
            "location_id": UUID_STRING,
            "service": {"$ref": REF + "Service"},
            "location": {"$ref": REF + "Location"},
        },
    ),
    "ServiceAtLocationListItem": _object(
        ["id", "service_id", "location_id", "service", "location"],
        {
            "id": UUID_STRING,
            "service_id": UUID_STRING,
            "location_id": UUID_STRING,
            "service": {"$ref": REF + "ServiceSummary"},
            "location": {"$ref": REF + "Location"},
        },
    ),
    "ServiceAtLocationPage": _page_of("ServiceAtLocationListItem"),
    "OrganizationPage": _page_of("Organization"),
    "TaxonomyPage": _page_of("Taxonomy"),
    "TaxonomyTermPage": _page_of("TaxonomyTerm"),
    "Error": _object(
        ["message"],
        {
            "message": {"type": "string"},
            "parameter": {"type": "string", "description": "The query parameter refused"},
        },
    ),
}


def _json(schema: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": REF + schema}}}}


# What Cairn adds to the UK profile's openapi.json (a path, a parameter, an answer other than
# its 200s) carries this key, saying where it comes from: HSDS 3.0 itself, or Cairn.
EXTENSION = "x-cairn-extension"
FROM_HSDS = "HSDS 3.0, not in the UK profile's openapi.json"
FROM_CAIRN = "Cairn's own"


def _get(
    summary: str,
    schema: str,
    parameters: list[dict[str, Any]] | None = None,
    not_found: bool = False,
    bad_request: bool = False,
    ndjson: bool = False,
) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": "OK", **_json(schema)}}
    if ndjson:
        # format=ndjson: each line is one item of the page's contents, on its own.
        item = {"$ref": REF + schema.removesuffix("Page")}
        responses["200"]["content"]["application/x-ndjson"] = {"schema": item, EXTENSION: FROM_HSDS}
    if bad_request:
        responses["400"] = {
            "description": "A parameter Cairn cannot honour as given (an unknown taxonomy "
            "term, something that is not a postcode, a filter Cairn's listings cannot answer); "
            "`parameter` names it and `message` says why",
            **_json("Error"),
            EXTENSION: FROM_CAIRN,
        }
    if not_found:
        responses["404"] = {
            "description": "No such record",
            **_json("Error"),
            EXTENSION: FROM_CAIRN,
        }
    return {"get": {"summary": summary, "parameters": parameters or [], "responses": responses}}


def _query(
    name: str, description: str, schema: dict[str, Any], extension: str | None = None
) -> dict[str, Any]:
    parameter = {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }
    return {**parameter, EXTENSION: extension} if extension else parameter


PAGING = [
    _query("page", "Page number, from 1", {"type": "integer", "minimum": 1}),
    _query(
        "per_page",
        "Items per page (default 50, at most 200)",
        {"type": "integer", "minimum": 1, "maximum": 200},
    ),
]
NO_AGES = (
    "Refused with a 400 naming it: Cairn's listings record no age range, so this filter "
    "cannot be honoured (and ignoring it would answer a different question)"
)
# The UK profile's filters of /services and /service_at_locations.
PROFILE_FILTERS = [
    _query("search", "Free text", {"type": "string"}),
    _query(
        "taxonomy_term_id",
        "A taxonomy term's id (a UUID, from /taxonomy_terms). Its code, the "
        "service type key like personal-care, is still accepted for now.",
        {"type": "string"},
    ),
    _query(
        "taxonomy_id",
        "Cairn's one taxonomy (from /taxonomies); another id matches nothing",
        {"type": "string", "format": "uuid"},
    ),
    _query("minimum_age", NO_AGES, {"type": "number"}),
    _query("maximum_age", NO_AGES, {"type": "number"}),
    _query(
        "start_time",
        "Times of day starting at or after this (HH:MM): morning 08:00-12:00, "
        "afternoon 12:00-17:00, evening 17:00-22:00, overnight 22:00-08:00",
        {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]"},
    ),
    _query(
        "end_time",
        "Times of day ending at or before this (HH:MM)",
        {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]"},
    ),
    _query(
        "day",
        "Days the service works: MO, TU, WE, TH, FR, SA, SU (or the day's "
        "English name), several joined by commas",
        {"type": "string"},
    ),
    *PAGING,
]
PLACE_FILTERS = [
    _query("postcode", "A full postcode or a postcode district", {"type": "string"}),
    _query(
        "proximity",
        "With postcode: services covering a district whose centre is within this many metres "
        "of the postcode's district centre, nearest first",
        {"type": "integer", "minimum": 0, "maximum": 500000},
    ),
]
ORGANIZATION_FILTER = _query(
    "organization_id",
    "Only the service this organization (from /organizations) runs",
    UUID_STRING,
    FROM_HSDS,
)
FULL_SERVICE = _query(
    "full_service",
    "true: each organization with the service it runs",
    {"type": "boolean"},
    FROM_HSDS,
)
# HSDS's parameters for keeping a copy of the directory, which the UK profile defines but
# does not list for /services.
SYNC = [
    _query(
        "modified_after",
        "Only services whose public listing changed on or after this date and time (ISO 8601 "
        "with its zone, like 2026-12-01T00:00:00Z): send the newest last_modified you hold. "
        "A listing that leaves the directory is not sent: compare the ids of a full "
        "format=ndjson export to find those.",
        {"type": "string", "format": "date-time"},
        FROM_HSDS,
    ),
    _query(
        "format",
        "json (pages, the default) or ndjson: every matching service, one per line, in name "
        "order and without paging (page and per_page are refused with it)",
        {"enum": ["json", "ndjson"]},
        FROM_HSDS,
    ),
    _query(
        "full",
        "Accepted: every service is sent fully nested already",
        {"type": "boolean"},
        FROM_HSDS,
    ),
    _query(
        "minimal",
        "minimal=true is refused with a 400: the profile's service needs more than an id and "
        "a date",
        {"type": "boolean"},
        FROM_HSDS,
    ),
]


def _one(summary: str, schema: str, *extra: dict[str, Any]) -> dict[str, Any]:
    path_id = {"name": "id", "in": "path", "required": True, "schema": UUID_STRING}
    answer = _get(summary, schema, not_found=True, bad_request=bool(extra))["get"]
    return {"get": {**answer, "parameters": [path_id, *extra]}}


def openapi_document(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Cairn: Open Referral UK API",
            "version": "3.0",
            "description": "Read-only, open data about Cairn's approved micro-providers, in "
            "the shapes of Open Referral UK (HSDS 3.0). No key needed; CORS is open. The "
            "paths and parameters are the UK profile's; what Cairn adds is marked "
            f"`{EXTENSION}`, saying where it comes from.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/": _get("Service information", "ServiceInfo"),
            "/services": _get(
                "Search services",
                "ServicePage",
                [
                    *PROFILE_FILTERS,
                    # The profile places these on /service_at_locations; /services takes them too.
                    *({**p, EXTENSION: FROM_CAIRN} for p in PLACE_FILTERS),
                    ORGANIZATION_FILTER,
                    *SYNC,
                ],
                bad_request=True,
                ndjson=True,
            ),
            "/services/{id}": _one("One service", "Service"),
            "/taxonomies": _get("Taxonomies", "TaxonomyPage", PAGING, bad_request=True),
            "/taxonomies/{id}": _one("One taxonomy", "Taxonomy"),
            "/taxonomy_terms": _get(
                "Taxonomy terms",
                "TaxonomyTermPage",
                [
                    *PAGING,
                    _query(
                        "search", "Words in the term's name, code or description", STRING, FROM_HSDS
                    ),
                    _query("taxonomy_id", "Cairn's one taxonomy", {"type": "string"}, FROM_HSDS),
                    _query(
                        "parent_id",
                        "Every term is top-level: any parent matches none",
                        STRING,
                        FROM_HSDS,
                    ),
                    _query("top_only", "true or false", {"type": "boolean"}, FROM_HSDS),
                ],
                bad_request=True,
            ),
            "/taxonomy_terms/{id}": _one("One taxonomy term", "TaxonomyTerm"),
            "/service_at_locations": _get(
                "Services at the postcode districts they cover",
                "ServiceAtLocationPage",
                [*PROFILE_FILTERS, *PLACE_FILTERS, ORGANIZATION_FILTER],
                bad_request=True,
            ),
            "/service_at_locations/{id}": _one(
                "One service at one of its districts, the service whole", "ServiceAtLocation"
            ),
            "/organizations": {
                **_get(
                    "Organizations (each micro-provider, running one service)",
                    "OrganizationPage",
                    [_query("search", "Free text", STRING), FULL_SERVICE, *PAGING],
                    bad_request=True,
                ),
                EXTENSION: FROM_HSDS,
            },
            "/organizations/{id}": {
                **_one("One organization", "Organization", FULL_SERVICE),
                EXTENSION: FROM_HSDS,
            },
        },
        "components": {"schemas": SCHEMAS},
    }
