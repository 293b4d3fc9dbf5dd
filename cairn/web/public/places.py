"""Places and distances in the reader's words: "About 3 miles away: Prestwick (KA9)", the
"which one did you mean?" links and the nearest districts offered when nobody is near."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cairn.domain.geo.places import Place
from cairn.search.providers.nearby import Nearness
from cairn.search.providers.query import SearchRequest
from cairn.search.providers.search import SearchResult
from cairn.web.i18n import gettext, locale_key, translations

UrlOf = Callable[..., str]


@dataclass(frozen=True)
class PlaceLink:
    url: str
    label: str


def _in_gaelic() -> bool:
    return locale_key().startswith("gd")


def ngettext(singular: str, plural: str, num: int) -> str:
    text: str = translations().ngettext(singular, plural, num)
    return text % {"num": num}


def place_name(place: Place) -> str:
    return place.name_gd if place.name_gd and _in_gaelic() else place.name


def place_label(place: Place) -> str:
    """How the place searched is named on the page: "Ayr", "South Ayrshire council area"."""
    if place.kind == "council":
        return gettext("%(name)s council area", name=place_name(place))
    return place_name(place)


def choice_label(place: Place) -> str:
    """A place among others of the same name: "Stirling, a town in Stirling"."""
    if place.kind == "town":
        return gettext(
            "%(name)s, a town in %(council)s", name=place_name(place), council=place.council
        )
    return place_label(place)


def miles_text(miles: float) -> str:
    rounded = max(1, round(miles))
    return ngettext("about %(num)d mile", "about %(num)d miles", rounded)


def distance_text(near: Nearness | None) -> str | None:
    if near is None:
        return None
    where = f"{near.town} ({near.district})" if near.town else near.district
    if near.miles < 0.05:  # it covers a district of the place searched
        return gettext("In the area you searched: %(where)s", where=where)
    if near.miles < 1:
        return gettext("Less than a mile away: %(where)s", where=where)
    text = gettext("%(distance)s away: %(where)s", distance=miles_text(near.miles), where=where)
    return text[:1].upper() + text[1:]  # "about 3 miles" starts the line here


def place_links(search: SearchRequest, url_of: UrlOf) -> list[PlaceLink]:
    return [
        PlaceLink(url_of(search, postcode=choice.query, page=None), choice_label(choice))
        for choice in search.place_choices
    ]


def nearby_links(result: SearchResult, url_of: UrlOf) -> list[dict[str, Any]]:
    """'KA9 Prestwick, 4 providers, about 3 miles': each a link to search there."""
    return [
        {
            "url": url_of(result.request, postcode=near.district, page=None),
            "place": f"{near.district} {near.town}".strip(),
            "count": ngettext("%(num)d provider", "%(num)d providers", near.count),
            "distance": miles_text(near.miles),
        }
        for near in result.nearby
    ]
