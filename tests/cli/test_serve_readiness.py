"""`cairn serve` on a store with a backlog: not ready, and no partial search, until its
projections have caught up; then ready, and it says so."""

from __future__ import annotations

import json
import os
import signal
import urllib.request
from pathlib import Path

from cairn.bootstrap.runtime import Runtime
from tests.support.directory import applied_provider, approve
from tests.support.serving import cairn_serve, wait_for
from tests.support.stores import make_settings

LISTED = 12
TOKEN = "serve-metrics-token-0123456789"


def store_with_a_backlog(tmp_path: Path) -> Path:
    """Listed providers in the log, and no projection has read any of it yet."""
    runtime = Runtime(make_settings("sqlite", tmp_path))
    try:
        for _ in range(LISTED):
            approve(runtime, applied_provider(runtime, name="Glen Care").id)
    finally:
        runtime.close()
    return runtime.settings.data_dir


def test_a_node_with_a_backlog_is_not_ready_and_serves_no_partial_search(
    tmp_path: Path,
) -> None:
    data_dir = store_with_a_backlog(tmp_path)
    with cairn_serve(
        data_dir, CAIRN_READY_MAX_LAG="0", CAIRN_METRICS_TOKEN=TOKEN, CAIRN_LOG_FORMAT="json"
    ) as node:
        # Hold the sidecar before it reads anything, so the backlog is there to be seen.
        sidecar = wait_for(node.sidecar_pids, timeout=30, every=0.005)[0]  # type: ignore[index]
        os.kill(sidecar, signal.SIGSTOP)
        try:
            wait_for(lambda: node.get("/healthz")[0] == 200, timeout=60, every=0.1)
            status, report = node.readyz()
            assert status == 503
            assert "search-index" in report["behind"]  # type: ignore[operator]
            assert "providers" in report["behind"]  # type: ignore[operator]
            page_status, page = node.get("/search?q=glen")
            assert page_status == 503 and "Cairn is catching up" in page
            api_status, api = node.get("/api/oruk/services")
            assert api_status == 503 and "catching up" in json.loads(api)["message"]
            assert "ready: serving" not in node.said()
        finally:
            os.kill(sidecar, signal.SIGCONT)

        # While it catches up, every answer is "catching up" or the whole directory.
        answers: list[int] = []
        while True:
            ready = node.readyz()[0] == 200
            page_status, page = node.get("/search?q=glen")
            if page_status == 200:
                assert f"{LISTED} providers found" in page, page
            else:
                assert page_status == 503 and "Cairn is catching up" in page
            api_status, api = node.get("/api/oruk/services")
            if api_status == 200:
                assert json.loads(api)["total_items"] == LISTED
            else:
                assert api_status == 503
            answers.append(page_status)
            if ready:
                break
        assert 200 in answers
        wait_for(lambda: "ready: serving on" in node.said(), timeout=10)

        # The workers' counts reach /metrics through the multiprocess directory.
        request = urllib.request.Request(
            node.base + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            metrics = response.read().decode()
        served = 'cairn_http_requests_total{endpoint="search.search",method="GET",status="200"}'
        assert f"{served} {float(answers.count(200))}" in metrics
        assert (
            'cairn_projection_lag_events{followed_here="true",projection="search-index"} 0.0'
            in (metrics)
        )
        # JSON access lines, each with its request's id.
        access = [
            json.loads(line)
            for line in node.said().splitlines()
            if line.startswith("{") and '"cairn.access"' in line
        ]
        assert any(a["endpoint"] == "search.search" and a["request_id"] for a in access)
