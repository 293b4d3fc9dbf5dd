"""`/healthz`, `/readyz`, and the search pages and open API refusing to answer from a node
that is catching up (cairn/bootstrap/readiness.py decides what "ready" means).

`/healthz` says only that the process answers: it touches no database, so a load balancer
or systemd can tell a hung worker from a database outage. `/readyz` answers 200 when the
node is ready and 503 otherwise, in JSON saying what is behind."""

from __future__ import annotations

import json

from flask import Blueprint, Flask, current_app, render_template, request
from werkzeug.wrappers import Response

from cairn.bootstrap.readiness import Readiness
from cairn.search.providers.index import IndexUnreadable
from cairn.web.api_answers import open_to_all

bp = Blueprint("health", __name__)

RETRY_AFTER_SECONDS = 5  # a node catching up usually needs seconds, not minutes

# What answers from the node's projections, and so must not answer while they are behind.
# The API's description of itself (its root and OpenAPI document) holds no listings.
GATED_BLUEPRINTS = ("search", "api")
UNGATED_ENDPOINTS = frozenset({"api.info", "api.openapi", "search.could_not_find"})


def readiness() -> Readiness:
    found: Readiness = current_app.extensions["cairn_readiness"]
    return found


@bp.get("/healthz")
def healthz() -> Response:
    return _json({"status": "ok"}, 200)


@bp.get("/readyz")
def readyz() -> Response:
    report = readiness().check()
    return _json(report.as_json(), 200 if report.ready else 503)


def _json(body: object, status: int) -> Response:
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register(app: Flask, checker: Readiness) -> None:
    app.extensions["cairn_readiness"] = checker
    app.register_blueprint(bp)

    @app.before_request
    def catching_up() -> Response | None:
        if request.blueprint not in GATED_BLUEPRINTS or request.endpoint in UNGATED_ENDPOINTS:
            return None
        report = readiness().current()
        if report.ready or not report.database:
            # A database outage has its own page (cairn/web/unavailable.py); the search
            # index itself may still answer without it.
            return None
        return _catching_up(report.behind)

    @app.errorhandler(IndexUnreadable)
    def index_unreadable(error: IndexUnreadable) -> Response:
        # Lost between two readiness checks: the follower is already rebuilding it.
        return _catching_up(("search-index",))


def _catching_up(behind: tuple[str, ...]) -> Response:
    """The answer of a node that is behind: JSON for the API, else the page, both 503."""
    if request.blueprint == "api":
        body = {
            "message": "This node is catching up with recent changes; try again shortly.",
            "behind": list(behind),
        }
        return open_to_all(_json(body, 503))
    response = Response(render_template("errors/catching_up.html"), status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    if request.headers.get("HX-Request") == "true":
        # A search refreshed by htmx is replaced by the whole page, never half-shown.
        response.headers["HX-Retarget"] = "body"
        response.headers["HX-Reswap"] = "innerHTML"
    response.vary.add("HX-Request")
    return response
