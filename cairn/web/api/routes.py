"""The Open Referral UK API: read-only, open, JSON, CORS for everyone."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from cairn.domain.clock import today
from cairn.search.providers.query import clamp_int, parse_search
from cairn.web.api.openapi import openapi_document
from cairn.web.api.oruk import (
    page_envelope,
    parse_service_id,
    service,
    service_info,
    taxonomy,
    taxonomy_terms,
    term_key,
)
from cairn.web.commanding import runtime
from cairn.web.urls import external_url

bp = Blueprint("api", __name__, url_prefix="/api/oruk")

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


@bp.after_request
def open_to_all(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def _error(message: str, status: int) -> tuple[Response, int]:
    return jsonify({"message": message}), status


@bp.errorhandler(HTTPException)
def refused(error: HTTPException) -> tuple[Response, int]:
    """A request refused before or inside an API view (a NUL in the query, a bad method)
    answers in the API's own JSON shape, never the site's HTML error page."""
    code = error.code or 500
    return _error(error.description or error.name, code)


def _profile_url(provider_id: Any) -> str:
    return external_url("search.profile", provider_id=provider_id)


@bp.get("/")
def info() -> Response:
    return jsonify(service_info(external_url("api.info")))


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document(external_url("api.info").rstrip("/")))


@bp.get("/services")
def services() -> Response | tuple[Response, int]:
    args = request.args
    params: MultiDict[str, str] = MultiDict()
    params["q"] = args.get("search", "")
    params["postcode"] = args.get("postcode", "")
    term = (args.get("taxonomy_term_id") or "").strip()
    if term:
        key = term_key(term)
        if key is None:
            return _error(
                f"Unknown taxonomy_term_id {term[:60]!r}: see /api/oruk/taxonomy_terms.", 400
            )
        params["service"] = key
    params["page"] = str(clamp_int(args.get("page"), 1, 1, 10_000))
    params["per_page"] = str(clamp_int(args.get("per_page"), DEFAULT_PER_PAGE, 1, MAX_PER_PAGE))
    params["sort"] = "relevance" if params["q"] else "name"
    search = parse_search(params, per_page=DEFAULT_PER_PAGE, max_per_page=MAX_PER_PAGE)
    if search.postcode and search.district is None:
        return _error(
            "postcode must be a full UK postcode or a district, like KA7 1AA or KA7.", 400
        )
    rt = runtime()
    result = rt.directory.search(search, today(rt.app.clock), with_facets=False)
    contents = [service(listing, _profile_url(listing.provider_id)) for listing in result.listings]
    return jsonify(
        page_envelope(contents, total=result.total, page=result.page, per_page=result.per_page)
    )


@bp.get("/services/<service_id>")
def one_service(service_id: str) -> Response | tuple[Response, int]:
    provider_id = parse_service_id(service_id)
    rt = runtime()
    listing = rt.directory.listing(provider_id, today(rt.app.clock)) if provider_id else None
    if listing is None:
        return _error("No service has this id.", 404)
    return jsonify(service(listing, _profile_url(listing.provider_id)))


@bp.get("/taxonomies")
def taxonomies() -> Response:
    return jsonify(page_envelope([taxonomy()], total=1, page=1, per_page=1))


@bp.get("/taxonomy_terms")
def terms() -> Response:
    contents = taxonomy_terms()
    return jsonify(
        page_envelope(contents, total=len(contents), page=1, per_page=max(1, len(contents)))
    )
