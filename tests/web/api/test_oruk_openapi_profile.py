"""Cairn's own openapi.json is the UK profile's: every path and parameter of the official
openapi.json (../shared/oruk/) is there, unmarked, and everything Cairn adds (a path, a
parameter, an answer other than 200) is marked `x-cairn-extension` with where it comes from."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from cairn.web.api.openapi import EXTENSION
from tests.support.official_oruk import official_parameters

PROFILE = official_parameters()


@pytest.fixture
def ours(client: FlaskClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/api/oruk/openapi.json").get_json()
    return document


def _parameters(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in item["get"]["parameters"]}


def test_every_profile_path_and_parameter_is_offered_as_the_profile_names_it(
    ours: dict[str, Any],
) -> None:
    assert len(PROFILE) == 9
    for path, names in PROFILE.items():
        assert path in ours["paths"], path
        item = ours["paths"][path]
        assert EXTENSION not in item, path
        offered = _parameters(item)
        for name in names:
            assert name in offered, (path, name)
            assert EXTENSION not in offered[name], (path, name)


def test_whatever_cairn_adds_is_marked_as_an_extension(ours: dict[str, Any]) -> None:
    added_paths = set(ours["paths"]) - set(PROFILE)
    assert added_paths == {"/organizations", "/organizations/{id}"}
    for path, item in ours["paths"].items():
        if path in added_paths:
            assert item[EXTENSION].startswith("HSDS 3.0"), path
            continue
        for name, parameter in _parameters(item).items():
            if name not in PROFILE[path]:
                assert parameter.get(EXTENSION), (path, name)
        for status, answer in item["get"]["responses"].items():
            if status != "200":
                assert answer.get(EXTENSION), (path, status)
    services = _parameters(ours["paths"]["/services"])
    assert services["modified_after"][EXTENSION].startswith("HSDS 3.0")
    assert services["postcode"][EXTENSION] == "Cairn's own"


def test_a_missing_profile_parameter_would_be_caught(ours: dict[str, Any]) -> None:
    """The comparison can fail: the profile does name minimum_age on /services."""
    assert "minimum_age" in PROFILE["/services"]
    assert "proximity" in PROFILE["/service_at_locations"]
    assert "proximity" not in PROFILE["/services"]
