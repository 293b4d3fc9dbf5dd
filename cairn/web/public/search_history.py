"""Every search is a web address: the canonical query string of a search, the profile links that
carry it (so "Back to search" returns to the same search) and the headers that keep the browser
from mistaking an htmx fragment for the page at the same address."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode
from uuid import UUID

from flask import request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from cairn.search.providers.query import (
    DEFAULT_RADIUS,
    HIDE_FULL_PARAM,
    MATCH_ANY,
    SERVICE_MATCH_PARAM,
    SearchRequest,
    parse_search,
)
from cairn.search.providers.schema import FACET_PARAMS
from cairn.web.commanding import runtime

# The profile link's parameter holding the search the person came from (a query string only).
FROM = "from"
# Longer than any search the form can make (a 300-character query, every filter ticked).
MAX_FROM_LENGTH = 4000


def request_params(search: SearchRequest, **changes: Any) -> dict[str, Any]:
    """The search as URL parameters; `changes` replace parts (None drops a part)."""
    params: dict[str, Any] = {
        "q": search.text,
        "postcode": search.postcode,
        "within": _within_param(search) if search.postcode else "",
        **{FACET_PARAMS[f]: list(v) for f, v in search.facet_filters.items()},
        SERVICE_MATCH_PARAM: search.service_match if search.service_match != MATCH_ANY else "",
        HIDE_FULL_PARAM: "1" if search.hide_full else "",
        "sort": search.sort if search.sort != search.default_sort else "",
    }
    params.update(changes)
    return {k: v for k, v in params.items() if v}


def _within_param(search: SearchRequest) -> str:
    if search.within is None:
        return "any"
    return "" if search.within == DEFAULT_RADIUS else str(search.within)


def query_string(search: SearchRequest, **changes: Any) -> str:
    return urlencode(request_params(search, **changes), doseq=True)


def search_url(search: SearchRequest, **changes: Any) -> str:
    query = query_string(search, **changes)
    return url_for("search.search") + ("?" + query if query else "")


def page_state_url(search: SearchRequest) -> str:
    """The address of exactly this page of this search: what the browser's history keeps."""
    return search_url(search, page=search.page if search.page > 1 else None)


def profile_url(provider_id: UUID, from_query: str) -> str:
    """A result's link; `from_query` is this search's query string (made once per page)."""
    base = url_for("search.profile", provider_id=provider_id)
    return base + "?" + urlencode({FROM: from_query}) if from_query else base


def search_origin() -> dict[str, str]:
    """The search a profile was opened from, as the `from` parameter to carry on (to the
    enquiry form's address), re-made from what parse_search accepts: never a foreign address."""
    raw = request.args.get(FROM, "")
    if not raw or len(raw) > MAX_FROM_LENGTH:
        return {}
    origin = parse_search(MultiDict(parse_qsl(raw)), gazetteer=runtime().directory.gazetteer)
    query = query_string(origin, page=origin.page if origin.page > 1 else None)
    return {FROM: query} if query else {}


def back_to_search_url() -> str:
    """Where a profile's "Back to search" goes: the search the person came from, else a new one."""
    origin = search_origin()
    return url_for("search.search") + ("?" + origin[FROM] if origin else "")


def mark_partial(response: Response, push_url: str | None = None) -> Response:
    """An htmx fragment: never stored as the page at its address, and the address to show."""
    response.headers["Cache-Control"] = "no-store"
    if push_url is not None:
        response.headers["HX-Push-Url"] = push_url
    return response


def vary_on_htmx(response: Response) -> Response:
    """The same address answers a fragment or the whole page, depending on htmx's headers."""
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


def wants_results_only() -> bool:
    """htmx asked for the results region alone (live search, paging). A history restore or a
    request for another region (a removed tag reloads the page's main part) gets the page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-History-Restore-Request") != "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-Target", "search-results") == "search-results"
    )
