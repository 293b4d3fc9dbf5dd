"""`cairn serve` started as systemd would start it, on loopback, with ways to look at what
it answers and at its projection sidecar."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.topology import free_port


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except (urllib.error.URLError, ConnectionError):
            return 0, ""  # nothing listens yet

    def readyz(self) -> tuple[int, dict[str, object]]:
        status, body = self.get("/readyz")
        return status, json.loads(body) if body else {}

    def said(self) -> str:
        return self.log.read_text(errors="replace")

    def sidecar_pids(self) -> list[int]:
        return children_running(self.process.pid, "projections")


def children_running(parent: int, word: str) -> list[int]:
    """The direct children of `parent` whose command line holds `word`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        # The second field (the name) may hold spaces, so count from its closing bracket.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == parent and word in command and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def wait_for(what: Callable[[], object], timeout: float, every: float = 0.05) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(every)
    raise TimeoutError(f"waited {timeout} s for {what}")


@contextmanager
def cairn_serve(data_dir: Path, **env: str) -> Iterator[Served]:
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    full_env.update(
        CAIRN_ENV="test",
        CAIRN_DATA_DIR=str(data_dir),
        CAIRN_SECRET_KEY="serve-test-secret-key-0123456789abcdef",
        CAIRN_POLL_INTERVAL="0.05",
        PYTHONUNBUFFERED="1",
        **env,
    )
    log = data_dir.parent / f"serve-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "cairn", "serve", "--port", str(port), "--workers", "1"],
        env=full_env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        yield Served(process, f"http://127.0.0.1:{port}", log)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
