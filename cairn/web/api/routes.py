"""The Open Referral UK API: read-only, open, JSON, CORS for everyone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from uuid import UUID

from flask import Blueprint, jsonify, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from cairn.domain.clock import today
from cairn.domain.directory.listing import PublicListing
from cairn.domain.geo.districts import METRES_PER_MILE
from cairn.search.providers.query import SearchRequest, clean_query_text, parse_search
from cairn.web.api.feed import ndjson_services
from cairn.web.api.locations import Where, service_at_location
from cairn.web.api.openapi import openapi_document
from cairn.web.api.oruk import (
    TAXONOMY_ID,
    organization,
    page_envelope,
    parse_service_id,
    service,
    service_info,
    taxonomy,
    taxonomy_term_for,
    taxonomy_terms,
    term_key,
)
from cairn.web.api.oruk import organization_id as organization_id_of
from cairn.web.api.oruk import service_at_location_id as service_at_location_id_of
from cairn.web.api.params import (
    Args,
    BadParameter,
    Paging,
    days,
    flag,
    modified_after,
    paging,
    proximity,
    refuse_unsupported,
    times,
    top_only,
    uuid_param,
    wants_ndjson,
)
from cairn.web.api_answers import is_api_request, json_error, open_to_all
from cairn.web.commanding import runtime
from cairn.web.urls import external_url

bp = Blueprint("api", __name__, url_prefix="/api/oruk")

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


@bp.after_app_request
def answer_in_json(response: Response) -> Response:
    """Every answer under the API, a routing one too (the slash redirect), is open to all."""
    return open_to_all(response) if is_api_request() else response


def _error(message: str, status: int) -> tuple[Response, int]:
    return jsonify({"message": message}), status


@bp.errorhandler(HTTPException)
def refused(error: HTTPException) -> Response:
    """A request refused before or inside an API view (a NUL in the query) answers in the
    API's own JSON shape, never the site's HTML error page."""
    return json_error(error)


def _profile_url(provider_id: Any) -> str:
    return external_url("search.profile", provider_id=provider_id)


@bp.get("/")
def info() -> Response:
    return jsonify(service_info(external_url("api.info")))


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document(external_url("api.info").rstrip("/")))


def _bad(error: BadParameter) -> tuple[Response, int]:
    return jsonify({"message": error.message, "parameter": error.name}), 400


@bp.get("/services")
def services() -> Response | tuple[Response, int]:
    args = Args(request.args)
    try:
        wanted, search, _, feed = _searched(args, feed_allowed=True)
    except BadParameter as error:
        return _bad(error)
    rt = runtime()
    if feed:
        every = rt.directory.every_match(search, today(rt.app.clock)) if search else iter(())
        return ndjson_services(every, _profile_url)
    if search is None:
        return jsonify(page_envelope([], total=0, page=wanted.page, per_page=wanted.per_page))
    result = rt.directory.search(search, today(rt.app.clock), with_facets=False)
    # A page past the end is empty (with the true totals), never the last page again.
    past_the_end = wanted.page > result.page
    contents = (
        []
        if past_the_end
        else [service(listing, _profile_url(listing.provider_id)) for listing in result.listings]
    )
    return jsonify(
        page_envelope(contents, total=result.total, page=wanted.page, per_page=wanted.per_page)
    )


def _searched(
    args: Args, *, feed_allowed: bool = False
) -> tuple[Paging, SearchRequest | None, Where, bool]:
    """The directory search that /services and /service_at_locations answer from (None when
    no service can match the filters together), the page asked for, which districts, and
    whether the answer is the ndjson feed (offered on /services)."""
    refuse_unsupported(args)
    feed = wants_ndjson(args)
    if feed and not feed_allowed:
        raise BadParameter("format", "format=ndjson is offered on /services only.")
    wanted = paging(args, default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)
    params, matchable = _service_filters(args)
    metres = proximity(args)
    since = modified_after(args)
    params["page"], params["per_page"] = str(wanted.page), str(wanted.per_page)
    params["sort"] = "relevance" if params.get("q") else "name"
    organization = uuid_param(args, "organization_id")
    runs = _organization_listing(organization) if organization else None
    provider_id = runs.provider_id if runs else None
    matchable = matchable and (organization is None or runs is not None)
    search = replace(
        parse_search(params, per_page=DEFAULT_PER_PAGE, max_per_page=MAX_PER_PAGE),
        modified_after=since,
        provider_id=provider_id,
    )
    if search.postcode and search.district is None:
        raise BadParameter(
            "postcode", "postcode must be a full UK postcode or a district, like KA7 1AA or KA7."
        )
    where = Where(search.district, metres)
    if metres is not None and search.district is not None:
        gazetteer = runtime().directory.gazetteer
        if search.district not in gazetteer.districts:
            raise BadParameter(
                "postcode",
                f"Cairn has no centre for the district {search.district}, so proximity "
                "cannot be measured from it.",
            )
        # Listings covering a district within the distance, nearest first.
        search = replace(
            search,
            place=gazetteer.district_place(search.district),
            within=metres / METRES_PER_MILE,
            sort="distance",
        )
    return wanted, search if matchable else None, where, feed


def _service_filters(args: Args) -> tuple[MultiDict[str, str], bool]:
    """The search's own parameters for the API's filters, and False when no service can
    match them together (a time window no time of day fits, another taxonomy)."""
    params: MultiDict[str, str] = MultiDict()
    params["q"] = args.get("search") or ""
    params["postcode"] = args.get("postcode") or ""
    matchable = True
    term = (args.get("taxonomy_term_id") or "").strip()
    if term:
        key = term_key(term)
        if key is None:
            raise BadParameter(
                "taxonomy_term_id",
                f"Unknown taxonomy_term_id {term[:60]!r}: see /api/oruk/taxonomy_terms.",
            )
        params["service"] = key
    taxonomy_id = uuid_param(args, "taxonomy_id")
    if taxonomy_id is not None and str(taxonomy_id) != TAXONOMY_ID:
        matchable = False  # every service's terms are in Cairn's one taxonomy
    for day in days(args):
        params.add("day", day)
    fitting = times(args)
    if fitting is not None:
        matchable = matchable and bool(fitting)
        for time in fitting:
            params.add("time", time)
    return params, matchable


@bp.get("/services/<service_id>")
def one_service(service_id: str) -> Response | tuple[Response, int]:
    provider_id = parse_service_id(service_id)
    rt = runtime()
    listing = rt.directory.listing(provider_id, today(rt.app.clock)) if provider_id else None
    if listing is None:
        return _error("No service has this id.", 404)
    return jsonify(service(listing, _profile_url(listing.provider_id)))


def _paged(contents: list[dict[str, Any]], args: Args) -> Response | tuple[Response, int]:
    """A list the API holds whole, paged as every list is."""
    try:
        wanted = paging(args, default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)
    except BadParameter as error:
        return _bad(error)
    start = (wanted.page - 1) * wanted.per_page
    return jsonify(
        page_envelope(
            contents[start : start + wanted.per_page],
            total=len(contents),
            page=wanted.page,
            per_page=wanted.per_page,
        )
    )


@bp.get("/taxonomies")
def taxonomies() -> Response | tuple[Response, int]:
    return _paged([taxonomy()], Args(request.args))


@bp.get("/taxonomies/<taxonomy_id>")
def one_taxonomy(taxonomy_id: str) -> Response | tuple[Response, int]:
    if taxonomy_id.strip().lower() != TAXONOMY_ID:
        return _error("No taxonomy has this id.", 404)
    return jsonify(taxonomy())


@bp.get("/taxonomy_terms")
def terms() -> Response | tuple[Response, int]:
    args = Args(request.args)
    try:
        contents = _matching_terms(args)
    except BadParameter as error:
        return _bad(error)
    return _paged(contents, args)


def _matching_terms(args: Args) -> list[dict[str, Any]]:
    """HSDS's term filters, combined with AND. Every term is a top-level term of Cairn's one
    taxonomy, so a parent or another taxonomy matches none."""
    contents = taxonomy_terms()
    words = " ".join((args.get("search") or "").split()).casefold()
    if words:
        contents = [
            t
            for t in contents
            if words in " ".join((t["name"], t["code"], t.get("description", ""))).casefold()
        ]
    taxonomy_id = uuid_param(args, "taxonomy_id")
    if taxonomy_id is not None and str(taxonomy_id) != TAXONOMY_ID:
        contents = []
    if uuid_param(args, "parent_id") is not None:
        contents = []
    top_only(args)  # checked for its value; every term is top-level already
    return contents


@bp.get("/taxonomy_terms/<term>")
def one_term(term: str) -> Response | tuple[Response, int]:
    key = term_key(term)
    if key is None:
        return _error("No taxonomy term has this id.", 404)
    return jsonify(taxonomy_term_for(key))


def _every_match(search: SearchRequest) -> Iterator[PublicListing]:
    """Every listing the search finds, in its order, read a page at a time."""
    rt = runtime()
    on = today(rt.app.clock)
    page = 1
    while True:
        result = rt.directory.search(
            replace(search, page=page, per_page=MAX_PER_PAGE), on, with_facets=False
        )
        yield from result.listings
        if page >= result.pages:
            return
        page += 1


# Every visible listing. The ids of organizations and services at locations are uuid5s, which
# cannot be read back, so finding one by its id is a walk over the listings: fine at the
# directory's size (hundreds), to be indexed if it grows to many thousands.
EVERY_LISTING = SearchRequest(sort="name", within=None)


def _organization_listing(organization: UUID) -> PublicListing | None:
    """The listing of the provider whose organization has this id."""
    for listing in _every_match(EVERY_LISTING):
        if organization_id_of(listing) == str(organization):
            return listing
    return None


@bp.get("/service_at_locations")
def services_at_locations() -> Response | tuple[Response, int]:
    args = Args(request.args)
    try:
        wanted, search, where, _ = _searched(args)
    except BadParameter as error:
        return _bad(error)
    centres = runtime().directory.gazetteer.districts
    found = [
        (listing, code)
        for listing in (_every_match(search) if search else ())
        for code in where.districts_of(listing, centres)
    ]
    start = (wanted.page - 1) * wanted.per_page
    contents = [
        service_at_location(
            listing,
            code,
            centres.get(code),
            service(listing, _profile_url(listing.provider_id)),
            whole=False,
        )
        for listing, code in found[start : start + wanted.per_page]
    ]
    return jsonify(
        page_envelope(contents, total=len(found), page=wanted.page, per_page=wanted.per_page)
    )


@bp.get("/service_at_locations/<service_at_location_id>")
def one_service_at_location(service_at_location_id: str) -> Response | tuple[Response, int]:
    wanted = parse_service_id(service_at_location_id)
    centres = runtime().directory.gazetteer.districts
    for listing in _every_match(EVERY_LISTING) if wanted else ():
        for code in listing.areas_covered:
            if service_at_location_id_of(listing, code) == str(wanted):
                whole = service(listing, _profile_url(listing.provider_id))
                return jsonify(
                    service_at_location(listing, code, centres.get(code), whole, whole=True)
                )
    return _error("No service at location has this id.", 404)


def _organization_with(listing: PublicListing, full_service: bool) -> dict[str, Any]:
    shape = organization(listing)
    if full_service:
        shape["services"] = [service(listing, _profile_url(listing.provider_id))]
    return shape


@bp.get("/organizations")
def organizations() -> Response | tuple[Response, int]:
    args = Args(request.args)
    try:
        wanted = paging(args, default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)
        full_service = flag(args, "full_service")
    except BadParameter as error:
        return _bad(error)
    text = args.get("search") or ""
    search = SearchRequest(
        text=clean_query_text(text)[0],
        sort="relevance" if text.strip() else "name",
        page=wanted.page,
        per_page=wanted.per_page,
        within=None,
    )
    rt = runtime()
    result = rt.directory.search(search, today(rt.app.clock), with_facets=False)
    past_the_end = wanted.page > result.page
    contents = (
        []
        if past_the_end
        else [_organization_with(listing, full_service) for listing in result.listings]
    )
    return jsonify(
        page_envelope(contents, total=result.total, page=wanted.page, per_page=wanted.per_page)
    )


@bp.get("/organizations/<organization_id>")
def one_organization(organization_id: str) -> Response | tuple[Response, int]:
    try:
        full_service = flag(Args(request.args), "full_service")
    except BadParameter as error:
        return _bad(error)
    wanted = parse_service_id(organization_id)
    listing = _organization_listing(wanted) if wanted else None
    if listing is None:
        return _error("No organization has this id.", 404)
    return jsonify(_organization_with(listing, full_service))
