"""Every public POST is rate limited, in a store every worker shares.

The first test walks the URL map: a POST route that a signed-out visitor reaches (not sent
to sign in, not refused) must answer 429 when one address keeps posting to it. A new public
form without a limit fails here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import ConfigError, Settings, load_settings
from cairn.infrastructure.ratelimit_store import SqlStore
from cairn.web import create_app
from cairn.web.ratelimit import rate_limits
from tests.support.route_expectations import World, routes, url_for_rule
from tests.support.web import csrf_token

# Public POST routes that need no limit, and why.
NOT_LIMITED = {
    "accounts.logout": "signing out does nothing for a signed-out visitor: no write, no work",
}
MOST_POSTS = 100  # more than the most generous public limit (60 a minute)


def test_every_public_post_route_is_rate_limited(app: Flask, world: World) -> None:
    checked = []
    for n, (rule, method) in enumerate(routes(app)):
        if method != "POST":
            continue
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.44.{n // 250}.{n % 250 + 1}"
        token = csrf_token(client)
        url = url_for_rule(rule, world)
        first = client.post(url, data={"csrf_token": token})
        if first.status_code == 403 or "/sign-in" in (first.location or ""):
            continue  # not public
        if rule.endpoint in NOT_LIMITED:
            continue
        statuses = [first.status_code]
        while statuses[-1] != 429 and len(statuses) < MOST_POSTS:
            statuses.append(client.post(url, data={"csrf_token": token}).status_code)
        assert statuses[-1] == 429, f"{rule.endpoint} ({url}) is public and has no rate limit"
        assert 500 not in statuses, rule.endpoint
        checked.append(rule.endpoint)
    # The walk really reached the public forms (a broken walk must not pass by finding none).
    assert {
        "accounts.login",
        "provider.apply",
        "provider.report",
        "enquiries.send",
        "public.language",
        "search.could_not_find",
    } <= set(checked)


def test_the_default_store_is_the_database_never_one_per_process(app: Flask) -> None:
    with app.test_request_context():
        assert isinstance(rate_limits().store, SqlStore)


def test_a_store_that_cairn_cannot_use_is_refused_at_start(runtime: Runtime) -> None:
    unusable = "memcached://127.0.0.1:11211"
    with pytest.raises(ConfigError, match="CAIRN_RATELIMIT_STORAGE_URI"):
        load_settings(
            {
                "CAIRN_ENV": "test",
                "CAIRN_DATA_DIR": str(runtime.settings.data_dir),
                "CAIRN_RATELIMIT_STORAGE_URI": unusable,
            }
        )
    with pytest.raises(ConfigError, match="CAIRN_RATELIMIT_STORAGE_URI"):
        create_app(
            replace(runtime.settings, ratelimit_storage_uri=unusable),
            runtime,
            start_projections=False,
            testing=True,
        )


def test_a_redis_outage_is_a_clear_refusal_not_an_error(app: Flask, client: FlaskClient) -> None:
    pytest.importorskip("redis")
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:9/0"  # nothing listens there
    token = csrf_token(client)
    response = client.post(
        "/sign-in", data={"email": "a@cairn.example", "password": "x" * 12, "csrf_token": token}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert "cannot check how often this form has been sent" in response.get_data(as_text=True)
    assert client.get("/sign-in").status_code == 200  # looking needs no count


def child_env(settings: Settings) -> dict[str, str]:
    env = {
        **os.environ,
        "CAIRN_ENV": "test",
        "CAIRN_DATA_DIR": str(settings.data_dir),
        "CAIRN_POLL_INTERVAL": "0.05",
    }
    if settings.database_url is not None:
        env["CAIRN_DATABASE_URL"] = settings.database_url.render_as_string(hide_password=False)
        env["CAIRN_DATABASE_SCHEMA"] = settings.database_schema
    return env


SIGN_INS_IN_A_CHILD = """
import json, sys
from cairn.web import create_app
from cairn.bootstrap.settings import load_settings
from cairn.bootstrap.runtime import Runtime
runtime = Runtime(load_settings())
app = create_app(runtime.settings, runtime, start_projections=False, testing=True)
app.config["WTF_CSRF_ENABLED"] = False
client = app.test_client()
client.environ_base["REMOTE_ADDR"] = "10.7.7.7"
statuses = [
    client.post("/sign-in", data={"email": f"p{n}@cairn.example", "password": "x" * 12}).status_code
    for n in range(int(sys.argv[1]))
]
runtime.close()
print(json.dumps(statuses))
"""


def run_child(settings: Settings, code: str, *args: str) -> list[int]:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=child_env(settings),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_two_processes_share_one_sign_in_limit(app: Flask, runtime: Runtime) -> None:
    """Like two gunicorn workers: guesses spread over them still meet one limit."""
    assert run_child(runtime.settings, SIGN_INS_IN_A_CHILD, "6") == [400] * 6
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.7.7.7"
    token = csrf_token(client)
    statuses = [
        client.post(
            "/sign-in",
            data={"email": f"q{n}@cairn.example", "password": "x" * 12, "csrf_token": token},
        ).status_code
        for n in range(5)
    ]
    assert statuses == [400] * 4 + [429]  # 10 a minute per address, across both processes


HITS_IN_A_CHILD = """
import json, sys
from cairn.readmodels.database import make_engine
from cairn.bootstrap.settings import load_settings
from cairn.infrastructure.ratelimit_store import SqlStore, open_store
settings = load_settings()
engine = make_engine(settings.read_models_url(), schema=settings.database_schema)
store = open_store("", postgres_engine=engine if settings.uses_postgres else None,
                   data_dir=settings.data_dir)
print(json.dumps([store.incr("race", 60).hits for _ in range(int(sys.argv[1]))]))
"""


def test_counts_are_atomic_across_processes(runtime: Runtime) -> None:
    """Two processes counting one key at once: every hit counted, each total seen once."""
    root = Path(__file__).resolve().parents[2]
    env = child_env(runtime.settings)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", HITS_IN_A_CHILD, "150"],
            env=env,
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    seen: list[int] = []
    for child in children:
        out, _err = child.communicate(timeout=120)
        assert child.returncode == 0
        seen += json.loads(out.strip().splitlines()[-1])
    assert sorted(seen) == list(range(1, 301))
