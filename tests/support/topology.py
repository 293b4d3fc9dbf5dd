"""Start Cairn's scale-out shape on loopback: PostgreSQL, one projection worker, web nodes.

Each web node is `cairn serve` (gunicorn workers plus the node's own index follower) with
its own index directory, as it would be on its own machine."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cairn_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "cairn", *args]


@dataclass
class Browserish:
    """A tiny HTTP client with cookies, enough to sign in and post forms with CSRF tokens."""

    base: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    @staticmethod
    def token(html: str) -> str:
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert match, "no CSRF token on the page"
        return match.group(1)


@dataclass
class Topology:
    env: dict[str, str]
    nodes: list[str]  # base URLs
    processes: list[subprocess.Popen[bytes]]


def wait_until_up(url: str, timeout: float = 60) -> None:
    """Until the node says it is ready (/readyz 200), as a load balancer would wait: before
    that its search and API answer "catching up"."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2):
                return
        except (OSError, urllib.error.URLError):  # HTTPError (503) is a URLError
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not become ready")


@contextmanager
def scale_out(
    database_url: str, schema: str, data_dir: Path, nodes: int = 2, workers: int = 2
) -> Iterator[Topology]:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    base_env.update(
        CAIRN_ENV="test",
        CAIRN_SECRET_KEY="scale-out-test-secret-key-0123456789",
        CAIRN_DATABASE_URL=database_url,
        CAIRN_DATABASE_SCHEMA=schema,
        CAIRN_PROJECTIONS="external",
        CAIRN_DATA_DIR=str(data_dir),
        CAIRN_POLL_INTERVAL="0.2",
        CAIRN_RATE_LIMITS=os.environ.get("CAIRN_RATE_LIMITS", "on"),
    )
    processes: list[subprocess.Popen[bytes]] = []
    urls = []
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    try:
        processes.append(
            subprocess.Popen(
                cairn_command("projections", "run"),
                env=base_env,
                stdout=(logs / "worker.log").open("wb"),
                stderr=subprocess.STDOUT,
            )
        )
        for n in range(nodes):
            port = free_port()
            node_env = {**base_env, "CAIRN_INDEX_DIR": str(data_dir / f"node{n}-index")}
            processes.append(
                subprocess.Popen(
                    cairn_command("serve", "--port", str(port), "--workers", str(workers)),
                    env=node_env,
                    stdout=(logs / f"node{n}.log").open("wb"),
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            wait_until_up(url)
        yield Topology(env=base_env, nodes=urls, processes=processes)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
