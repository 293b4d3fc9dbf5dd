"""Security headers, HTTPS handling, cookies, rate limits, password rules and hashing."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.domain.accounts.passwords import HASH_PARAMETERS, check_password_rules, hash_password
from cairn.domain.errors import DomainError
from cairn.web import create_app
from tests.support.web import csrf_token

OWASP_ARGON2ID_MINIMUM = {"memory_cost": 19 * 1024, "time_cost": 2, "parallelism": 1}


@pytest.mark.parametrize("path", ["/", "/sign-in", "/no-such-page", "/static/cairn.css"])
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
    ):
        assert directive in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS


def test_templates_hold_no_inline_script_or_style_so_the_csp_holds() -> None:
    templates = Path(__file__).resolve().parents[2] / "cairn" / "web"
    for template in templates.rglob("*.html"):
        text = re.sub(r"{#.*?#}", "", template.read_text(), flags=re.S)  # comments aside
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert "<style" not in text and not re.search(r"\sstyle=", text), template
        assert not re.search(r"\son[a-z]+=", text), template  # no onclick= and friends


def test_htmx_is_told_not_to_inject_its_indicator_styles(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false""" in html
    css = client.get("/static/cairn.css").get_data(as_text=True)
    assert ".htmx-indicator" in css


def test_over_https_cookies_are_secure_and_hsts_is_sent(client: FlaskClient) -> None:
    response = client.get("/sign-in", base_url="https://cairn.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in c and "HttpOnly" in c for c in cookies)
    assert all("SameSite=Lax" in c for c in cookies)


def test_over_plain_http_the_session_cookie_is_httponly_and_samesite(client: FlaskClient) -> None:
    cookies = client.get("/sign-in").headers.getlist("Set-Cookie")
    assert cookies and all("HttpOnly" in c and "SameSite=Lax" in c for c in cookies)
    assert not any("Secure" in c for c in cookies)


def test_forwarded_proto_counts_only_when_the_proxy_is_trusted(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    forwarded = {"X-Forwarded-Proto": "https"}
    untrusted = create_app(runtime.settings, runtime, testing=True).test_client()
    assert "Strict-Transport-Security" not in untrusted.get("/", headers=forwarded).headers
    behind_proxy = dataclasses.replace(runtime.settings, trust_proxy=True)
    trusted = create_app(behind_proxy, runtime, testing=True).test_client()
    response = trusted.get("/sign-in", headers=forwarded)
    assert "Strict-Transport-Security" in response.headers
    assert all("Secure" in c for c in response.headers.getlist("Set-Cookie"))


def test_signed_in_pages_are_not_kept_in_shared_caches(admin_client: FlaskClient) -> None:
    assert admin_client.get("/admin/applications").headers["Cache-Control"] == "no-store"


def attempt(client: FlaskClient, email: str, token: str) -> int:
    return client.post(
        "/sign-in", data={"email": email, "password": "wrong-password-1", "csrf_token": token}
    ).status_code


def test_sign_in_is_rate_limited_per_address(app: Flask) -> None:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.1.1.1"
    token = csrf_token(client)
    codes = [attempt(client, f"person{n}@cairn.example", token) for n in range(12)]
    assert codes[:10] == [400] * 10 and codes[10:] == [429, 429]
    page = client.post("/sign-in", data={"csrf_token": token})
    assert "Too many attempts" in page.get_data(as_text=True)
    # Another address is not affected, and looking at the page is never limited.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.1.1.2"
    assert attempt(other, "person0@cairn.example", csrf_token(other)) == 400
    assert client.get("/sign-in").status_code == 200


def test_sign_in_is_rate_limited_per_email_across_addresses(app: Flask) -> None:
    limited = []
    for n in range(12):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.2.0.{n + 1}"
        response = client.post(
            "/sign-in",
            data={
                "email": "target@cairn.example",
                "password": "wrong-password-1",
                "csrf_token": csrf_token(client),
            },
        )
        # Lockout (after 5 failures) answers first; the rate limit stops the rest early.
        limited.append("You have tried this too many times" in response.get_data(as_text=True))
    assert limited[-1] and not any(limited[:10])


def test_the_enquiry_limit_decorator_limits_posts_only(runtime: Runtime) -> None:
    from cairn.web.ratelimit import limit_submissions

    app = create_app(runtime.settings, runtime, testing=True)

    @app.route("/try-limit", methods=["GET", "POST"])
    @limit_submissions("2 per minute")
    def try_limit() -> str:
        return "ok"

    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    assert [client.post("/try-limit").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/try-limit").status_code == 200


def test_argon2id_parameters_meet_owasp_guidance() -> None:
    encoded = hash_password("a perfectly fine passphrase")
    assert encoded.startswith("$argon2id$")
    params = PasswordHasher.from_parameters(HASH_PARAMETERS)
    assert params.memory_cost >= OWASP_ARGON2ID_MINIMUM["memory_cost"]
    assert params.time_cost >= OWASP_ARGON2ID_MINIMUM["time_cost"]
    assert params.parallelism >= OWASP_ARGON2ID_MINIMUM["parallelism"]
    assert f"m={params.memory_cost},t={params.time_cost},p={params.parallelism}" in encoded


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 12"),
        ("x" * 257, "at most 256"),
        ("Password1234", "lists of common passwords"),
        ("Password123!", "lists of common passwords"),
        ("welcome123456", "lists of common passwords"),
        ("QWERTY123456", "lists of common passwords"),
        ("!!2024Summer2024!!", "lists of common passwords"),
        ("P@55w0rd 2024", "lists of common passwords"),
        ("i love you 2024", "lists of common passwords"),
        ("ＰＡＳＳＷＯＲＤ１２３４", "lists of common passwords"),  # full-width letters
        (" " * 12, "only spaces"),
        ("\t \u3000" * 4, "only spaces"),
        ("abababababab", "different characters"),
        ("a" * 11 + "é", "different characters"),
        ("🙂" * 12, "different characters"),
        ("zxcvbnm,./asdf", "keyboard runs"),
        ("Abcdefghijk1!", "keyboard runs"),
        ("9876543210abc", "keyboard runs"),
        ("horse1horse1horse1", "repeated"),
        ("heathfield1987", "too easy to guess"),
        ("my ada@cic.example pw", "email"),
        ("ada lovelace 1815", "your name"),
        ("ada.lovelace!!", "your name"),
        ("Cairn2024!!!!", "name of this service"),
    ],
)
def test_weak_passwords_are_refused_with_what_to_do(password: str, message: str) -> None:
    with pytest.raises(DomainError, match=message) as refused:
        check_password_rules(password, email="ada@cic.example", names=["Ada Lovelace"])
    if len(password) >= 12:
        assert "choose" in str(refused.value).lower() or "try" in str(refused.value).lower()


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "correct-horse-battery",
        "ŝtonoj kaj ĉielo",
        "Tha an t-uisge ann",
        "🙂🐑🌧🏔 on the hill",
        "qwerty in the garden shed",
        "the heron waits by the cold loch while the rain comes in over the hills of arran",
    ],
)
def test_long_passwords_of_any_characters_are_accepted(password: str) -> None:
    check_password_rules(password, email="ada@cic.example", names=["Ada Lovelace"])


def test_an_account_refuses_a_password_made_of_its_display_name(runtime: Runtime) -> None:
    with pytest.raises(DomainError, match="your name"):
        runtime.app.accounts.register("morag@cic.example", "Morag Macleod", [], "MoragMacleod2024")
