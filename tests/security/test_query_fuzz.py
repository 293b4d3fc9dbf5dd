"""Odd query-string values on every GET route, for each kind of role: never a server error.

The form fuzzer posts hostile values; this is its GET twin. Each request sets every query
parameter any view reads to the same odd value (one request per route and value keeps the
run short), so a date, number or id parser that cannot take it shows up as a 5xx here.
It found `/admin/audit?end=9999-12-31` (the end date plus one day overflowed)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.route_expectations import (
    ADMIN,
    ANONYMOUS,
    LEAD,
    PROVIDER,
    TEAM_A,
    URL_VALUES,
    World,
)

# Every query-string parameter a view reads (grep request.args, parse_search, _filters).
PARAMS = [
    "page",
    "per_page",
    "start",
    "end",
    "since",
    "until",
    "as_of",
    "months",
    "q",
    "search",
    "kind",
    "status",
    "district",
    "experiment",
    "team",
    "theme",
    "principle",
    "voice",
    "next",
    "postcode",
    "service",
    "sort",
    "taxonomy_term_id",
    "actor",
    "lang",
]
ODD = (
    "9999-12-31",
    "0001-01-01",
    "2025-02-30",
    "-1",
    "99999999999999999999999",
    "1e309",
    "\x00",
    "\r\nSet-Cookie: x=1",
    "a" * 3000,
    "ＡＢＣ\u202e",
)


@pytest.mark.parametrize("role", [ANONYMOUS, PROVIDER, TEAM_A, ADMIN, LEAD])
def test_odd_query_values_never_cause_a_server_error(
    app: Flask, world: World, role_clients: dict[str, FlaskClient], role: str
) -> None:
    client = role_clients[role]
    failures = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        built = rule.build({a: URL_VALUES[a](world) for a in rule.arguments}, False)
        assert built is not None
        for value in ODD:
            response = client.get(built[1], query_string=dict.fromkeys(PARAMS, value))
            if response.status_code >= 500:
                failures.append((built[1], value[:40], response.status_code))
    assert not failures, failures
