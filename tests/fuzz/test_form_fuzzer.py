"""Random and hostile values posted to every POST route in the URL map.

No response may be a server error, and a refused request (4xx) must store nothing
(except the sign-in log's record of a failed attempt, which is the point of that log)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.signins import SignInAttempt
from tests.support.roles import sign_in_as
from tests.support.route_expectations import (
    ADMIN,
    ANONYMOUS,
    EXPECTED,
    PROVIDER,
    TEAM_A,
    URL_VALUES,
    World,
)
from tests.support.web import csrf_token

HOSTILE = [
    "<script>alert(1)</script>",
    "'; DROP TABLE providers; --",
    "\x00",
    "\u202e\u200b",
    "a" * 5000,
    "../../etc/passwd",
    "{{7*7}}",
    "%s%s%n",
    "-1",
    "99999999999999999999999",
    "NaN",
    "",
    " ",
    "ＡＢＣ",
    "e\u0301",
    "\ud7ff",
    "null",
    "[]",
]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
EXAMPLES_PER_ROUTE = 30  # for a route the role may use: the fuzz reaches the view
EXAMPLES_WHEN_REFUSED = 5  # for one it may not: the refusal itself must hold up
ran = {"cases": 0, "server_errors": 0}


def field_names(app: Flask, client: Any, world: World) -> list[str]:
    """Every form field name on every page that needs no unknown URL argument."""
    names: set[str] = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        if not all(a in URL_VALUES for a in rule.arguments):
            continue
        built = rule.build({a: URL_VALUES[a](world) for a in rule.arguments}, False)
        assert built is not None
        html = client.get(built[1]).get_data(as_text=True)
        names.update(re.findall(r'name="([^"]+)"', html))
    names.discard("csrf_token")
    return sorted(n for n in names if not n.startswith(("viewport", "htmx")))


def events_after(runtime: Runtime, position: int) -> list[Any]:
    notifications = runtime.app.recorder.select_notifications(
        start=position, limit=1000, inclusive_of_start=False
    )
    return [runtime.app.mapper.to_domain_event(n) for n in notifications]


def assert_clean(domain_event: Any) -> None:
    """Whatever was accepted passed validation: no control characters, bounded text."""
    for value in vars(domain_event).values():
        texts = value if isinstance(value, list | tuple) else [value]
        for item in texts:
            if isinstance(item, str):
                assert len(item) <= 5000
                assert not any(
                    unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in item
                ), item


def reaches_the_view(endpoint: str, role: str) -> bool:
    """Whether `role` gets past the access check on this POST route (per the matrix)."""
    status = EXPECTED[endpoint]["POST"][role]
    return status != 403 and not (
        role == ANONYMOUS and status == 302 and endpoint != "public.language"
    )


# Between them these roles reach the view of every POST route.
@pytest.mark.timeout(900)
@pytest.mark.parametrize("role", [ANONYMOUS, PROVIDER, TEAM_A, ADMIN])
def test_posting_random_and_hostile_forms_never_breaks_and_refusals_store_nothing(
    app: Flask, runtime: Runtime, world: World, role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", False)  # reach the views, not the limit
    if runtime.jobs is not None:
        # The background sweep writes events of its own (the week's digest, reminders): they
        # would look like a refused form's.
        runtime.jobs.stop()
    ran.update(cases=0, server_errors=0)
    client = app.test_client()
    sign_in_as(client, role)
    names = field_names(app, client, world)
    posts = [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and rule.endpoint != "accounts.logout"
    ]
    assert posts
    for rule in posts:
        built = rule.build({a: URL_VALUES[a](world) for a in rule.arguments}, False)
        assert built is not None
        examples = (
            EXAMPLES_PER_ROUTE if reaches_the_view(rule.endpoint, role) else EXAMPLES_WHEN_REFUSED
        )
        fuzz_one_route(client, runtime, role, names, built[1], csrf_token(client, "/"), examples)
    print(f"\nform fuzz cases run as {role}: {ran['cases']}; server errors: {ran['server_errors']}")
    assert ran["server_errors"] == 0


def fuzz_one_route(
    client: Any,
    runtime: Runtime,
    role: str,
    names: list[str],
    url: str,
    token: str,
    examples: int,
) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(
        form=st.dictionaries(
            st.one_of(st.sampled_from(names), st.text(max_size=20)), values, max_size=8
        ),
        with_token=st.booleans(),
    )
    def post(form: dict[str, str], with_token: bool) -> None:
        before = runtime.app.head()
        data = {**form, "csrf_token": token if with_token else form.get("csrf_token", "")}
        response = client.post(url, data=data)
        ran["cases"] += 1
        if response.status_code >= 500:
            ran["server_errors"] += 1
        assert response.status_code < 500, (url, data, response.status_code)
        runtime.wait_for(runtime.app.head(), timeout=10)
        new = events_after(runtime, before)
        if response.status_code >= 400:
            assert all(isinstance(e, SignInAttempt.Recorded) for e in new), (url, data, new)
        for domain_event in new:
            assert_clean(domain_event)
        if role != ANONYMOUS and "Sign out" not in client.get("/").get_data(as_text=True):
            sign_in_as(client, role)  # a posted sign-in may have changed the session

    post()
