"""Issue #14, finding 7: the small hardening gaps, one regression test each.

Odd dates on the audit filter, unsafe `next=` targets, the Host header in absolute links,
gunicorn and X-Forwarded-Proto, and the production secret's length."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import ConfigError, load_settings
from cairn.cli.serve import gunicorn_options
from cairn.web.redirects import safe_local_path
from tests.support.directory import listed_provider
from tests.support.web import csrf_token

# -- 1. dates on filters ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "end=9999-12-31",
        "start=9999-12-31",
        "start=0001-01-01&end=0001-01-01",
        "end=10000-01-01",
        "end=2025-13-01",
    ],
)
def test_out_of_range_audit_dates_get_a_message_not_a_server_error(
    admin_client: FlaskClient, query: str
) -> None:
    response = admin_client.get(f"/admin/audit?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert "Enter a" in html and "like 2025-03-31" in html


def test_a_far_but_sensible_end_date_still_filters(admin_client: FlaskClient) -> None:
    assert admin_client.get("/admin/audit?start=1900-01-01&end=2999-12-31").status_code == 200


# -- 2. redirect targets --------------------------------------------------------------------

UNSAFE_TARGETS = [
    "/\r\nSet-Cookie: injected=1",
    "/admin\r\n",
    "/\nx",
    "//evil.example/",
    "\\\\evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "https://evil.example/",
    "evil.example",
    "/\x00",
    "/\u2028evil",
    "/" + "a" * 5000,
]


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_unsafe_targets_are_refused(target: str) -> None:
    assert safe_local_path(target) is None


@pytest.mark.parametrize("target", ["/", "/search?q=home+care&page=2", "/learning/teams/x", "/ò"])
def test_local_paths_are_kept(target: str) -> None:
    assert safe_local_path(target) == target


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_the_language_switch_never_follows_an_unsafe_next(client: FlaskClient, target: str) -> None:
    token = csrf_token(client, "/")
    response = client.post("/language", data={"lang": "gd", "next": target, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "injected" not in str(response.headers)


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_sign_in_never_follows_an_unsafe_next(admin_client: FlaskClient, target: str) -> None:
    # admin_client signed in once already; signing in again follows `next` the same way.
    from tests.support.web import PASSWORD

    token = csrf_token(admin_client, "/sign-in")
    response = admin_client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": "admin@cic.example", "password": PASSWORD, "csrf_token": token},
    )
    if "\x00" in target:  # refused for every route before the view runs
        assert response.status_code == 400
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/applications"
    assert "injected" not in str(response.headers)


def test_sign_in_still_returns_to_a_local_page(admin_client: FlaskClient) -> None:
    from tests.support.web import PASSWORD

    token = csrf_token(admin_client, "/sign-in")
    response = admin_client.post(
        "/sign-in?next=/admin/audit%3Fkind%3DProvider.Applied",
        data={"email": "admin@cic.example", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/admin/audit?kind=Provider.Applied"


# -- 4. the Host header never reaches a response ------------------------------------------

SPOOFED = "evil.example"


def test_a_spoofed_host_appears_in_no_api_answer(runtime: Runtime, client: FlaskClient) -> None:
    provider_id = listed_provider(runtime, name="Heathfield Home Help", postcode="KA7 3PQ")
    urls = [
        "/api/oruk/",
        "/api/oruk/openapi.json",
        "/api/oruk/services",
        f"/api/oruk/services/{provider_id}",
        "/api/oruk/taxonomies",
        "/api/oruk/taxonomy_terms",
        "/",
        "/search",
        f"/providers/{provider_id}",
        "/admin/audit",  # a redirect to sign in: Location must stay relative
        "/sign-in",
    ]
    base = runtime.settings.base_url
    for url in urls:
        for headers in ({"Host": SPOOFED}, {"X-Forwarded-Host": SPOOFED}):
            response = client.get(url, headers=headers)
            assert response.status_code < 500, url
            assert SPOOFED not in response.get_data(as_text=True), url
            assert SPOOFED not in str(response.headers), url
    info = client.get("/api/oruk/", headers={"Host": SPOOFED}).get_json()
    assert info["openapi_url"] == f"{base}/api/oruk/openapi.json"
    services = client.get("/api/oruk/services", headers={"Host": SPOOFED}).get_json()
    assert services["contents"][0]["url"] == f"{base}/providers/{provider_id}"


def test_the_base_url_is_required_in_production_and_checked(tmp_path: Path) -> None:
    production = {"CAIRN_DATA_DIR": str(tmp_path), "CAIRN_SECRET_KEY": "k" * 40}
    with pytest.raises(ConfigError, match="CAIRN_BASE_URL is not set"):
        load_settings(production)
    for bad in ("cairn.example.org", "ftp://cairn.example.org", "https://", "https://x/?a=1"):
        with pytest.raises(ConfigError, match="CAIRN_BASE_URL"):
            load_settings({**production, "CAIRN_BASE_URL": bad})
    good = load_settings({**production, "CAIRN_BASE_URL": "https://cairn.example.org/"})
    assert good.base_url == "https://cairn.example.org"
    trial = load_settings({"CAIRN_ENV": "development", "CAIRN_DATA_DIR": str(tmp_path)})
    assert trial.base_url == "http://127.0.0.1:5000"


# -- 5. gunicorn believes no forwarded header unless the proxy is trusted ------------------


def test_gunicorn_trusts_forwarded_headers_only_with_cairn_trust_proxy(tmp_path: Path) -> None:
    trial = {"CAIRN_ENV": "development", "CAIRN_DATA_DIR": str(tmp_path)}
    assert load_settings({**trial, "CAIRN_TRUST_PROXY": "1"}).trust_proxy
    assert not load_settings(trial).trust_proxy
    untrusted = gunicorn_options("127.0.0.1", 8000, 2, trust_proxy=False)
    assert untrusted["forwarded_allow_ips"] == ""
    assert untrusted["secure_scheme_headers"] == {}
    trusted = gunicorn_options("127.0.0.1", 8000, 2, trust_proxy=True)
    assert "forwarded_allow_ips" not in trusted and "secure_scheme_headers" not in trusted


SCHEME_ECHO = """
import sys
from gunicorn.app.base import BaseApplication
from cairn.cli.serve import gunicorn_options

def echo(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ["wsgi.url_scheme"].encode()]

class App(BaseApplication):
    def load_config(self):
        options = gunicorn_options("127.0.0.1", int(sys.argv[1]), 1, trust_proxy=False)
        options["worker_class"] = "sync"
        for key, value in options.items():
            self.cfg.set(key, value)
    def load(self):
        return echo

App().run()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_real_gunicorn_ignores_x_forwarded_proto_from_localhost(tmp_path: Path) -> None:
    """gunicorn's own default trusts 127.0.0.1, so this fails without the options above."""
    port = _free_port()
    root = Path(__file__).resolve().parents[2]
    server = subprocess.Popen([sys.executable, "-c", SCHEME_ECHO, str(port)], cwd=root)
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"}
        )
        for _ in range(300):
            try:
                with urllib.request.urlopen(request, timeout=2) as answer:
                    scheme = answer.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        assert scheme == "http"
    finally:
        server.terminate()
        server.wait(10)


# -- 6. the production secret ----------------------------------------------------------------


@pytest.mark.parametrize("length", [16, 31])
def test_a_production_secret_shorter_than_32_is_refused(tmp_path: Path, length: int) -> None:
    env = {
        "CAIRN_DATA_DIR": str(tmp_path),
        "CAIRN_SECRET_KEY": "k" * length,
        "CAIRN_BASE_URL": "https://cairn.example.org",
    }
    with pytest.raises(ConfigError, match="at least 32"):
        load_settings(env)
    assert load_settings({**env, "CAIRN_SECRET_KEY": "k" * 32}).secret_key == "k" * 32


# -- 7. other odd requests ------------------------------------------------------------------


@pytest.mark.parametrize("host", ["x" * 64, "a." + "b" * 70 + ".example"])
def test_a_host_werkzeug_refuses_gets_a_plain_400_not_a_server_error(
    client: FlaskClient, host: str
) -> None:
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("query", ["q=%00", "theme=a%00b", "%00=x"])
def test_a_nul_in_the_query_string_is_refused_before_any_database_sees_it(
    admin_client: FlaskClient, query: str
) -> None:
    for path in ("/admin/queue", "/search", "/admin/audit"):
        assert admin_client.get(f"{path}?{query}").status_code == 400
