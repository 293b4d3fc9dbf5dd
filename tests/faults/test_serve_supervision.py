"""`cairn serve` looks after its projection sidecar: killed, it is started again (and the
node is not ready meanwhile); serve stopped or killed outright leaves nothing running."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from cairn.bootstrap.runtime import Runtime
from tests.support.directory import applied_provider, approve
from tests.support.serving import Served, cairn_serve, children_running, wait_for
from tests.support.stores import make_settings


def ready(node: Served) -> bool:
    return node.readyz()[0] == 200


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A child that ended but is not yet reaped by its (living) parent is as good as gone.
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].startswith("Z")


def test_a_killed_sidecar_is_started_again_and_search_is_current_again(tmp_path: Path) -> None:
    settings = make_settings("sqlite", tmp_path)
    with cairn_serve(settings.data_dir) as node:
        wait_for(lambda: ready(node), timeout=90, every=0.1)
        (first,) = node.sidecar_pids()
        os.kill(first, signal.SIGKILL)

        # Not ready while nothing follows the log for this node...
        def down() -> list[str]:
            status, report = node.readyz()
            problems: list[str] = report.get("problems", []) if status == 503 else []  # type: ignore[assignment]
            return problems

        problems = wait_for(down, timeout=10, every=0.02)
        assert any("not running" in p for p in problems), problems  # type: ignore[attr-defined]
        # ...then a new sidecar, and ready again.
        wait_for(lambda: [p for p in node.sidecar_pids() if p != first], timeout=30)
        wait_for(lambda: ready(node), timeout=60, every=0.1)
        assert "the projection process ended" in node.said()

        # The new sidecar keeps the node's search current.
        runtime = Runtime(settings)
        try:
            approve(runtime, applied_provider(runtime, name="Rowan Care").id)
        finally:
            runtime.close()
        wait_for(lambda: "1 provider found" in node.get("/search?q=rowan")[1], timeout=30)


def test_sigterm_stops_serve_and_everything_it_started(tmp_path: Path) -> None:
    settings = make_settings("sqlite", tmp_path)
    with cairn_serve(settings.data_dir) as node:
        wait_for(lambda: ready(node), timeout=90, every=0.1)
        children = children_running(node.process.pid, "cairn")
        assert len(children) >= 2  # a gunicorn worker and the sidecar
        started = time.monotonic()
        node.process.terminate()
        node.process.wait(20)
        assert time.monotonic() - started < 15
        wait_for(lambda: all(gone(pid) for pid in children), timeout=10)
        assert node.get("/healthz")[0] == 0  # nothing answers


def test_killing_serve_outright_leaves_no_process_serving(tmp_path: Path) -> None:
    settings = make_settings("sqlite", tmp_path)
    with cairn_serve(settings.data_dir) as node:
        wait_for(lambda: ready(node), timeout=90, every=0.1)
        children = children_running(node.process.pid, "cairn")
        assert len(children) >= 2
        node.process.kill()
        node.process.wait(10)
        # The sidecar goes with its parent (PR_SET_PDEATHSIG); gunicorn's workers notice
        # their parent has gone within a second or so and stop.
        wait_for(lambda: all(gone(pid) for pid in children), timeout=30, every=0.1)
        assert node.get("/healthz")[0] == 0
