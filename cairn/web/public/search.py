"""Find help near me: the search page and public provider profiles."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
)
from flask_babel import gettext
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.wrappers import Response

from cairn.domain.clock import today
from cairn.domain.directory.listing import PublicListing
from cairn.readmodels.directory.queries import once_listed
from cairn.search.providers.query import HIDE_FULL_PARAM, SearchRequest, parse_search
from cairn.search.providers.schema import FACET_PARAMS, FACETS
from cairn.search.providers.search import SearchResult
from cairn.web.commanding import runtime
from cairn.web.directory_labels import (
    Labels,
    availability_labels,
    facet_label,
    facet_options,
    training_label,
)
from cairn.web.extensions import htmx
from cairn.web.forms import EnquiryForm
from cairn.web.i18n import PageText, locale_key, translate
from cairn.web.public.places import distance_text, nearby_links, place_label, place_links
from cairn.web.public.search_history import (
    back_to_search_url,
    mark_partial,
    page_state_url,
    profile_url,
    query_string,
    request_params,
    search_origin,
    search_url,
    vary_on_htmx,
    wants_results_only,
)
from cairn.web.public.unmet_demand import note_unmet_demand
from cairn.web.ratelimit import limit_submissions

bp = Blueprint("search", __name__, template_folder="templates")


def without(search: SearchRequest, part: str, value: str | None) -> str:
    """The URL of this search with one part dropped."""
    if part == "q":
        return search_url(search, q=None)
    if part == "postcode":
        return search_url(search, postcode=None, within=None, sort=None)
    if part == HIDE_FULL_PARAM:
        return search_url(search, **{HIDE_FULL_PARAM: None})
    remaining = [v for v in search.facet_filters[part] if v != value]
    return search_url(search, **{FACET_PARAMS[part]: remaining or None})


@lru_cache(maxsize=16)
def _facet_titles(locale: str) -> dict[str, str]:
    """The filters' headings in one language, made once per process. `locale` is only the
    cache key: the request's own catalogue translates them."""
    return {facet.name: translate(facet.title) for facet in FACETS}


def problem_messages(search: SearchRequest) -> list[str]:
    return [gettext(p.message).format(**p.values) for p in search.problems]


bp.add_app_template_global(facet_label, "facet_label")
bp.add_app_template_filter(availability_labels, "availability_labels")
bp.add_app_template_global(training_label, "training_label")
bp.add_app_template_global(back_to_search_url, "back_to_search_url")
bp.add_app_template_global(search_origin, "search_origin")


@bp.get("/search")
def search() -> Response:
    rt = runtime()
    search_request = parse_search(request.args, gazetteer=rt.directory.gazetteer)
    result = rt.directory.search(search_request, today(rt.app.clock))
    context = _context(result)
    if wants_results_only():
        partial = make_response(render_template("search/_results.html", **context, oob=True))
        return vary_on_htmx(mark_partial(partial, push_url=page_state_url(search_request)))
    page = make_response(render_template("search/search.html", **context, oob=False))
    if htmx:  # the main part of the page, for htmx to pick out: not the page to keep either
        mark_partial(page)
    return vary_on_htmx(page)


class CouldNotFindForm(FlaskForm):  # type: ignore[misc]
    """The search itself comes as hidden fields, read by parse_search like the query string."""


@bp.post("/search/could-not-find")
@limit_submissions()
def could_not_find() -> str | Response:
    """The searcher tells the CIC that an empty search left them without help."""
    if not CouldNotFindForm().validate_on_submit():
        abort(400)
    rt = runtime()
    search_request = parse_search(request.form, gazetteer=rt.directory.gazetteer)
    result = rt.directory.search(search_request, today(rt.app.clock))

    note_unmet_demand(result)  # only an empty search with an area is noted
    message = gettext("Thank you. We have noted that you could not find help here.")
    if htmx:
        return render_template("search/_demand_noted.html", message=message)
    flash(message, "success")
    return redirect(search_url(search_request))


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One listing as the results list shows it, its words already in the reader's language
    (looked up here once per page, which costs a fraction of a lookup per row in Jinja)."""

    listing: PublicListing
    url: str
    services: str
    availability: str
    price: Markup | None  # None: ask the provider
    distance: str | None  # "About 3 miles away: Prestwick (KA9)", with a place


def _rows(result: SearchResult, labels: Labels, text: PageText, from_query: str) -> list[ResultRow]:
    listings = result.listings
    nearness = result.nearness or (None,) * len(listings)
    return [
        ResultRow(
            listing=listing,
            url=profile_url(listing.provider_id, from_query),
            services=labels.services(listing.services),
            availability=labels.availability(listing.availability),
            price=None
            if listing.price_per_hour is None
            else text.gettext("£%(price)s an hour", price=listing.price_per_hour),
            distance=distance_text(near),
        )
        for listing, near in zip(listings, nearness, strict=True)
    ]


def _facets(result: SearchResult, labels: Labels, text: PageText) -> list[dict[str, Any]]:
    chosen = result.request.facet_filters
    # Read out after each count: "(3 providers)". Most counts repeat (0, 1, ...): word each once.
    nouns: dict[int, Markup] = {}
    titles = _facet_titles(locale_key())
    facets = []
    for field, param in FACET_PARAMS.items():
        options = []
        for value in facet_options(field, result.facets.held.get(field, {})):
            count = result.facets.count(field, value)
            if count not in nouns:
                nouns[count] = text.ngettext("provider", "providers", count)
            options.append(
                {
                    "value": value,
                    "label": labels(field, value),
                    "count": count,
                    "noun": nouns[count],
                    "checked": value in chosen[field],
                }
            )
        facets.append(
            {
                "field": field,
                "param": param,
                "title": titles[field],
                "hint": _facet_hint(field, text),
                "options": options,
            }
        )
    return facets


def _facet_hint(field: str, text: PageText) -> str:
    """What days and times mean together, said once beside each."""
    if field == "days":
        return text.gettext("With a time of day, we show who can come at that time on these days")
    if field == "times":
        return text.gettext("With days, we show who can come at these times on those days")
    return ""


def _hide_full(text: PageText) -> dict[str, str]:
    """The filter leaving out the full providers (`open=1`), worded once: the checkbox and
    its tag among the chosen filters say the same."""
    return {
        "param": HIDE_FULL_PARAM,
        "title": text.gettext("Taking on new people?"),
        "label": text.gettext("Leave out providers who are full"),
    }


def _context(result: SearchResult) -> dict[str, Any]:
    search_request = result.request
    labels, text = Labels(), PageText()
    return {
        "result": result,
        "rows": _rows(result, labels, text, _from_query(search_request)),
        "place_label": place_label(search_request.place) if search_request.place else "",
        "place_choices": place_links(search_request, search_url),
        "nearby": nearby_links(result, search_url),
        "search": search_request,
        "facets": _facets(result, labels, text),
        "hide_full": _hide_full(text),
        "problems": problem_messages(search_request),
        "page_url": lambda n: search_url(search_request, page=n if n > 1 else None),
        "without": lambda part, value=None: without(search_request, part, value),
        "search_fields": _as_fields(request_params(search_request)),
        "clear_filters_url": search_url(
            search_request, **dict.fromkeys([*FACET_PARAMS.values(), HIDE_FULL_PARAM])
        ),
        "could_not_find_form": CouldNotFindForm,
    }


def _from_query(search: SearchRequest) -> str:
    return query_string(search, page=search.page if search.page > 1 else None)


def _as_fields(params: dict[str, Any]) -> list[tuple[str, str]]:
    """The search as hidden form fields, for the "could not find help" button."""
    return [
        (name, str(value))
        for name, values in params.items()
        for value in (values if isinstance(values, list) else [values])
    ]


@bp.get("/providers/<uuid:provider_id>")
def profile(provider_id: UUID) -> str | tuple[str, int]:
    rt = runtime()
    listing = rt.directory.listing(provider_id, today(rt.app.clock))
    if listing is None:
        if once_listed(rt.read_engine, provider_id):
            # Gone, not missing: a saved link or a search engine learns it will not return.
            return render_template("profile/no_longer_listed.html"), 410
        abort(404)
    return render_template("profile/profile.html", listing=listing, form=EnquiryForm())
