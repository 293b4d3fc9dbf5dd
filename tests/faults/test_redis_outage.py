"""Rate limits counted in a real Redis (CAIRN_RATELIMIT_STORAGE_URI=redis://…): when Redis
goes away, sign-in is refused with a clear page, never a 500, and works again when it is back."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.runtime import Runtime
from cairn.web import create_app
from tests.support.tcp_proxy import TcpProxy
from tests.support.web import csrf_token

REDIS = ("127.0.0.1", 6379)


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    if not redis_answers():
        pytest.skip("no Redis on 127.0.0.1:6379")
    relay = TcpProxy(*REDIS)
    yield relay
    relay.close()


@pytest.fixture
def redis_app(runtime: Runtime, proxy: TcpProxy) -> Flask:
    # A database number of its own and keys that are digests: nothing another test counts.
    uri = f"redis://127.0.0.1:{proxy.port}/{uuid.uuid4().int % 15 + 1}"
    return create_app(
        replace(runtime.settings, ratelimit_storage_uri=uri),
        runtime,
        start_projections=True,
        testing=True,
    )


def sign_in(client: FlaskClient) -> tuple[int, str]:
    response = client.post(
        "/sign-in",
        data={
            "email": "nobody@cairn.example",
            "password": "x" * 12,
            "csrf_token": csrf_token(client),
        },
    )
    return response.status_code, response.get_data(as_text=True)


def test_a_redis_outage_refuses_sign_in_clearly_and_recovers(
    redis_app: Flask, proxy: TcpProxy
) -> None:
    client = redis_app.test_client()
    status, page = sign_in(client)
    assert status == 400  # counted in Redis, then refused as a wrong password
    assert "cannot check how often" not in page

    proxy.cut()
    status, page = sign_in(client)
    assert status == 503
    assert "cannot check how often this form has been sent" in page
    assert client.get("/sign-in").status_code == 200  # looking needs no count

    proxy.restore()
    status, page = sign_in(client)
    assert status == 400
    assert "cannot check how often" not in page
