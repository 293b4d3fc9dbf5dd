"""Reading the ORUK API as a client would: each answer checked against Cairn's own document."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker

from cairn.bootstrap.runtime import Runtime
from cairn.web import create_app
from tests.support.directory import listed_provider


def schema_for(client: FlaskClient, name: str) -> Draft202012Validator:
    document = client.get("/api/oruk/openapi.json").get_json()
    root = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return Draft202012Validator(root, format_checker=FormatChecker())


def get_json(client: FlaskClient, url: str, schema: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.mimetype == "application/json"
    body = response.get_json()
    schema_for(client, schema).validate(body)
    return body


def app_with_two_services(runtime: Runtime) -> Flask:
    """An app whose API has a couple of listed providers to return (for schemathesis)."""
    listed_provider(runtime, name="Heathfield Home Help", postcode="KA7 3PQ")
    listed_provider(
        runtime,
        name="Troon Helpers",
        postcode="KA10 6AA",
        services=["personal-care"],
        price_per_hour=Decimal("18.00"),
    )
    app: Flask = create_app(runtime.settings, runtime, start_projections=True, testing=True)
    runtime.wait_for(runtime.app.head())
    return app
