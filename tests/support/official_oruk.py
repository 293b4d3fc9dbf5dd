"""The official Open Referral UK documents (../shared/oruk/, CC BY-SA 4.0), read from the folder
so that nothing needs the network: validators for a response, and the profile's openapi.json
with every published `$ref` brought inside it, for schemathesis."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from tests.support.stores import SAMPLES

OFFICIAL = SAMPLES.parent / "oruk" / "schema"
PUBLISHED = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


def patched_openapi(document: dict[str, Any]) -> dict[str, Any]:
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


def _read(relative: str) -> Any:
    path: Path = OFFICIAL / relative
    contents = json.loads(path.read_text(encoding="utf-8"))
    return patched_openapi(contents) if path.name == "openapi.json" else contents


def _from_the_folder(uri: str) -> Resource[Any]:
    """The retrieve hook: a published address, read from ../shared/oruk/schema/."""
    if not uri.startswith(PUBLISHED):
        raise NoSuchResource(ref=uri)
    # The profile's schemas declare no $schema: they are written for 2020-12.
    return DRAFT202012.create_resource(_read(uri.removeprefix(PUBLISHED)))


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


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    registry: Registry[Any] = Registry(retrieve=_from_the_folder)
    return Draft202012Validator(schema, registry=registry, format_checker=FORMATS)


def response_schema(endpoint: str) -> dict[str, Any]:
    """A `$ref` to the schema openapi.json gives for the endpoint's 200 response."""
    path = endpoint.replace("~", "~0").replace("/", "~1")
    pointer = f"/paths/{path}/get/responses/200/content/application~1json/schema"
    return {"$ref": f"{PUBLISHED}openapi.json#{pointer}"}


# The profile's openapi.json gives compiled/service.json for /service_at_locations/{id}, where
# HSDS 3.0 (and Cairn) answers with a service_at_location: a third fault of the document.
SERVICE_AT_LOCATION = PUBLISHED + "compiled/service_at_location.json"


def _inlined(value: Any, base: str) -> Any:
    """`value` with every `$ref` to a published file replaced by that file's schema (itself
    inlined), so the document stands alone. References inside the document stay."""
    if isinstance(value, list):
        return [_inlined(v, base) for v in value]
    if not isinstance(value, dict):
        return value
    ref = value.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        address = urljoin(base, ref)
        target = _read(address.removeprefix(PUBLISHED))
        target = {k: v for k, v in target.items() if k not in ("$id", "$schema")}
        rest = {k: v for k, v in value.items() if k != "$ref"}
        return {**_inlined(target, address), **_inlined(rest, base)}
    return {k: _inlined(v, base) for k, v in value.items()}


@cache
def _bundled() -> str:
    document = _read("openapi.json")
    place = document["paths"]["/service_at_locations/{id}"]["get"]["responses"]["200"]
    place["content"]["application/json"]["schema"] = {"$ref": SERVICE_AT_LOCATION}
    bundled = _inlined(document, PUBLISHED + "openapi.json")
    bundled["servers"] = [{"url": "/api/oruk"}]  # where Cairn serves the profile's paths
    return json.dumps(bundled)


def bundled_openapi() -> dict[str, Any]:
    """The profile's openapi.json (its faults mended as above), standing alone, served at
    /api/oruk: a fresh copy each time, as schemathesis may change what it is given."""
    loaded: dict[str, Any] = json.loads(_bundled())
    return loaded


def official_parameters() -> dict[str, set[str]]:
    """The query and path parameters the profile's openapi.json names for each path."""
    document = _read("openapi.json")
    shared = document["components"]["parameters"]
    named: dict[str, set[str]] = {}
    for path, item in document["paths"].items():
        listed = [*item.get("parameters", []), *item["get"].get("parameters", [])]
        named[path] = {
            (shared[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p)["name"] for p in listed
        }
    return named
