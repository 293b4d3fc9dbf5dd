"""/metrics for Prometheus only (a bearer token, else 404), request ids, JSON log lines."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cairn.bootstrap.logs import JsonFormatter
from cairn.bootstrap.runtime import Runtime
from cairn.web import create_app
from tests.support.directory import listed_provider

TOKEN = "metrics-token-0123456789abcdef"


@pytest.fixture
def watched(runtime: Runtime) -> Iterator[Flask]:
    settings = replace(runtime.settings, metrics_token=TOKEN, log_format="json")
    app = create_app(settings, runtime, start_projections=True, testing=True)
    if runtime.jobs is not None:
        runtime.jobs.stop()
    yield app


def scrape(client: FlaskClient) -> str:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return response.get_data(as_text=True)


def test_metrics_are_not_there_without_the_token(watched: Flask, client: FlaskClient) -> None:
    assert client.get("/metrics").status_code == 404  # no token configured at all
    other = watched.test_client()
    assert other.get("/metrics").status_code == 404
    assert other.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert other.get("/metrics", headers={"Authorization": TOKEN}).status_code == 404


def value(text: str, series: str) -> float:
    """A series' value in a scrape (0 when it is not there yet)."""
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    return 0.0


def test_metrics_count_requests_by_route_and_time_searches(
    watched: Flask, runtime: Runtime
) -> None:
    listed_provider(runtime, name="Heather Care")
    client = watched.test_client()
    # The counts belong to the process, and other tests' requests are in them too.
    searches = 'cairn_http_requests_total{endpoint="search.search",method="GET",status="200"}'
    timed = 'cairn_http_request_duration_seconds_count{endpoint="search.search",method="GET"}'
    searched = "cairn_search_duration_seconds_count"
    before = scrape(client)
    for _ in range(3):
        assert client.get("/search?q=heather").status_code == 200
    client.get("/no-such-page/12345")
    after = scrape(client)
    assert value(after, searches) - value(before, searches) == 3
    assert value(after, timed) - value(before, timed) == 3
    assert value(after, searched) - value(before, searched) == 3
    # A path nobody routes is one series, whatever the path was.
    assert 'endpoint="unmatched",method="GET",status="404"' in after
    assert "no-such-page" not in after


def test_metrics_show_each_projection_and_the_outbox(watched: Flask, runtime: Runtime) -> None:
    listed_provider(runtime, name="Heather Care")
    text = scrape(watched.test_client())
    head = runtime.app.head()
    assert f"cairn_event_log_head {float(head)}" in text
    assert (
        f'cairn_projection_position{{followed_here="true",projection="search-index"}} {float(head)}'
        in text
    )
    assert 'cairn_projection_lag_events{followed_here="true",projection="search-index"} 0.0' in text
    assert "cairn_ready 1.0" in text
    assert 'cairn_mail_outbox_messages{state="pending"}' in text
    assert "cairn_mail_outbox_retrying 0.0" in text


def test_metrics_show_each_search_index_generation_moving_with_writes(
    watched: Flask, runtime: Runtime
) -> None:
    def generation(text: str) -> float:
        line = next(
            line
            for line in text.splitlines()
            if line.startswith('cairn_search_index_generation{index="providers"}')
        )
        return float(line.split()[-1])

    client = watched.test_client()
    before = generation(scrape(client))
    listed_provider(runtime, name="Heather Care")
    text = scrape(client)
    assert generation(text) > before  # the index moved on with the listing
    assert 'cairn_search_index_generation{index="learning"}' in text
    assert 'cairn_search_index_segments{index="providers"}' in text


def test_a_request_id_is_kept_or_made_and_sent_back(watched: Flask) -> None:
    client = watched.test_client()
    given = client.get("/healthz", headers={"X-Request-ID": "lb-abc.123"})
    assert given.headers["X-Request-ID"] == "lb-abc.123"
    made = client.get("/healthz", headers={"X-Request-ID": "no spaces or {braces}"})
    assert made.headers["X-Request-ID"] != "no spaces or {braces}"
    assert len(made.headers["X-Request-ID"]) == 32


def test_json_log_lines_carry_the_request_id(
    watched: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    formatter = JsonFormatter()
    seen: list[dict[str, object]] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(json.loads(formatter.format(record)))

    handler = Capture()
    logging.getLogger("cairn.access").addHandler(handler)
    try:
        watched.test_client().get("/healthz", headers={"X-Request-ID": "trace-42"})
    finally:
        logging.getLogger("cairn.access").removeHandler(handler)
    (line,) = seen
    assert line["request_id"] == "trace-42"
    assert line["endpoint"] == "health.healthz" and line["status"] == 200
    assert line["level"] == "info" and "time" in line
