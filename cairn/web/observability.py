"""What an operator watches: request ids, JSON access lines, and Prometheus metrics.

- Every request has an id: the caller's `X-Request-ID` when it is a plausible one (a proxy
  or load balancer that sets it lets a line be followed end to end), else a new one. It is
  sent back in the answer's `X-Request-ID` and, with CAIRN_LOG_FORMAT=json, is on every
  log line written while serving it, with one access line per request.
- `/metrics` (Prometheus text format) is not public: it answers 404 unless CAIRN_METRICS_TOKEN
  is set and the request says `Authorization: Bearer <that token>`. Request counts and
  latency are labelled by route (the endpoint's name, never the raw path, so a scanner's
  random paths add no series); projection positions and lag, the outbox and readiness are
  read when scraped. Under `cairn serve`, every worker's counts are summed through
  prometheus-client's multiprocess directory (PROMETHEUS_MULTIPROC_DIR, set by serve)."""

from __future__ import annotations

import hmac
import logging
import os
import re
import time
import uuid
from collections.abc import Iterator
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, abort, current_app, g, has_request_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from werkzeug.wrappers import Response

from cairn.bootstrap.logs import add_context, configure_logging
from cairn.bootstrap.readiness import Readiness
from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import Settings
from cairn.readmodels.mail.queue import retrying_count, state_counts

access_log = logging.getLogger("cairn.access")
bp = Blueprint("metrics", __name__)

REQUEST_ID_HEADER = "X-Request-ID"
_PLAUSIBLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")  # nothing that could forge a log line

log = logging.getLogger(__name__)

REQUESTS = Counter(
    "cairn_http_requests",
    "HTTP requests answered, by route (endpoint name), method and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "cairn_http_request_duration_seconds",
    "Time to answer a request, by route (endpoint name) and method.",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SEARCH_LATENCY = Histogram(
    "cairn_search_duration_seconds",
    "Time spent in the directory's search itself (matching, facets, paging).",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
)


def request_id() -> str | None:
    found: str | None = g.get("request_id") if has_request_context() else None
    return found


def _log_fields() -> dict[str, Any]:
    rid = request_id()
    return {"request_id": rid} if rid else {}


def register(app: Flask, settings: Settings, runtime: Runtime) -> None:
    configure_logging(settings.log_format)
    add_context(_log_fields)
    app.extensions["cairn_metrics_token"] = settings.metrics_token
    app.register_blueprint(bp)
    _time_searches(runtime)
    json_access = settings.log_format == "json"

    @app.before_request
    def start() -> None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _PLAUSIBLE_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        rid = g.get("request_id")
        if rid:
            response.headers[REQUEST_ID_HEADER] = rid
        started = g.get("request_started")
        if started is None:
            return response
        took = time.perf_counter() - started
        endpoint = request.endpoint or "unmatched"  # a 404 has no route to name
        REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        LATENCY.labels(endpoint, request.method).observe(took)
        if json_access:
            access_log.info(
                "%s %s %s",
                request.method,
                endpoint,
                response.status_code,
                extra={
                    "fields": {
                        "method": request.method,
                        "endpoint": endpoint,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round(took * 1000, 2),
                    }
                },
            )
        return response


def _time_searches(runtime: Runtime) -> None:
    """Measure the directory's search where it is called from, the search page and the API."""
    directory = runtime.directory
    if getattr(directory.search, "cairn_timed", False):
        return  # a second app over the same runtime (tests)
    search = directory.search

    @wraps(search)
    def timed(*args: Any, **kwargs: Any) -> Any:
        with SEARCH_LATENCY.time():
            return search(*args, **kwargs)

    timed.cairn_timed = True  # type: ignore[attr-defined]
    directory.search = timed  # type: ignore[method-assign]


@bp.get("/metrics")
def metrics() -> Response:
    token: str = current_app.extensions["cairn_metrics_token"]
    given = request.headers.get("Authorization", "")
    # No token configured, or the wrong one: as if there were no such page.
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        abort(404)
    readiness: Readiness = current_app.extensions["cairn_readiness"]
    runtime: Runtime = current_app.extensions["cairn"]
    body = _process_metrics() + _node_metrics(readiness, runtime)
    response = Response(body, mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def _process_metrics() -> bytes:
    """Requests and searches: this process's, or every worker's under `cairn serve`."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    registry = CollectorRegistry()
    for metric in (REQUESTS, LATENCY, SEARCH_LATENCY):
        registry.register(metric)
    return generate_latest(registry)


class _Snapshot:
    """Metric families read now from the database and this node's indexes."""

    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterator[Metric]:
        return iter(self.families)


def _node_metrics(readiness: Readiness, runtime: Runtime) -> bytes:
    report = readiness.check()
    ready = GaugeMetricFamily("cairn_ready", "1 when /readyz would answer 200, else 0.")
    ready.add_metric([], 1 if report.ready else 0)
    families: list[Metric] = [ready]
    if report.head is not None:
        head = GaugeMetricFamily("cairn_event_log_head", "The event log's last position.")
        head.add_metric([], report.head)
        position = GaugeMetricFamily(
            "cairn_projection_position",
            "The log position each projection has applied.",
            labels=["projection", "followed_here"],
        )
        lag = GaugeMetricFamily(
            "cairn_projection_lag_events",
            "How many events each projection is behind the log's head.",
            labels=["projection", "followed_here"],
        )
        for p in report.projections:
            here = "true" if p.followed_here else "false"
            position.add_metric([p.name, here], p.position)
            lag.add_metric([p.name, here], p.lag)
        families += [head, position, lag]
    families += _index_families(runtime)
    outbox = _outbox_families(runtime)
    families += outbox
    registry = CollectorRegistry()
    registry.register(_Snapshot(families))
    return generate_latest(registry)


def _index_families(runtime: Runtime) -> list[Metric]:
    generation = GaugeMetricFamily(
        "cairn_search_index_generation",
        "The newest generation of each of this node's search indexes.",
        labels=["index"],
    )
    segments = GaugeMetricFamily(
        "cairn_search_index_segments", "Segments in that generation.", labels=["index"]
    )
    for name, index in (("providers", runtime.search_index), ("learning", runtime.learning_index)):
        try:
            number, count = index.generation()
        except Exception as error:  # a missing or unreadable index: cairn_ready says so too
            log.debug("index %s unreadable for metrics: %s", name, error)
            continue
        generation.add_metric([name], number)
        segments.add_metric([name], count)
    return [generation, segments]


def _outbox_families(runtime: Runtime) -> list[Metric]:
    try:
        counts = state_counts(runtime.read_engine)
        retrying = retrying_count(runtime.read_engine)
    except Exception:  # the database is away: cairn_ready already says so
        return []
    messages = GaugeMetricFamily(
        "cairn_mail_outbox_messages", "Emails in the outbox, by state.", labels=["state"]
    )
    for state, n in sorted(counts.items()):
        messages.add_metric([state], n)
    failing = GaugeMetricFamily(
        "cairn_mail_outbox_retrying",
        "Pending emails that have failed at least once (the server refused or was away).",
    )
    failing.add_metric([], retrying)
    return [messages, failing]
