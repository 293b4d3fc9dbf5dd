"""Reading the ORUK API as a client would: each answer checked against Cairn's own document."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker


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
