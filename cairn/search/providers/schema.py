"""The Whoosh schema: one document per visible listing, plus one tracking document.

The tracking document holds the log position the index has applied. It is written in the same
writer commit as the listings it covers, so position and documents can never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from cairn.domain.text import Text, _
from cairn.search.providers.analysis import build_analyzer

TRACKING_ID = "__tracking__"
# Raised whenever the same field names come to hold different terms (a new analyzer): an index
# built by an older release is then emptied and rebuilt from the log (SearchIndex._open).
# 2: Porter2 stemming with accents folded (was Whoosh's Porter, which missed "bus" for "buses").
# 3: availability as day-and-time slots (`slots`), where days and times were kept apart.
# 4: whether a listing takes on new people (`intake`), read like the districts.
# 5: when what the public sees last changed (`modified_at`), for the API's modified_after.
SCHEMA_VERSION = 5
KIND_LISTING = "listing"
KIND_TRACKING = "tracking"

# Sort keys for listings without a price or without a recorded insurance date.
NO_PRICE = 10**9
NO_EXPIRY = 10**7  # an ordinal day far beyond any real date


@dataclass(frozen=True)
class Facet:
    """A filter people choose on the search page, once: its name (the search request's
    attribute), its URL parameter (the search page and the API), its heading, and the index
    field its values are found in (named in the listing's field specification)."""

    name: str
    param: str
    title: Text
    field: str


# In the order the search page shows them. Days and times are chosen apart but both read the
# slots a listing holds: Tuesday and morning together mean Tuesday morning.
FACETS = (
    Facet("services", "service", _("What help do you need?"), "services"),
    Facet("days", "day", _("Which days?"), "slots"),
    Facet("times", "time", _("What time of day?"), "slots"),
    Facet("sds", "sds", _("Self-directed Support option"), "sds"),
    Facet("languages", "language", _("Language spoken"), "languages"),
)
FACET_NAMES = tuple(f.name for f in FACETS)
FACET_PARAMS = {f.name: f.param for f in FACETS}
# The index fields the facets read, each once.
FACET_FIELDS = tuple(dict.fromkeys(f.field for f in FACETS))
# The postcode districts a listing covers: a filter and the basis of distance, not a facet.
DISTRICT_FIELD = "districts"
# Taking on new people, waiting list or full: read into bitsets to leave out the full ones.
INTAKE_FIELD = "intake"
# When the listing last changed in public (microseconds since 1970, UTC): read per segment
# as a column, so `modified_after` is one comparison per document, never a query.
MODIFIED_FIELD = "modified_at"
NOT_MODIFIED = 0  # the tracking document's value


def build_schema() -> Schema:
    stemming = build_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(),
        name=TEXT(analyzer=stemming, field_boost=3.0),
        # Service labels and descriptions, so "gardening" or "cleaning" finds the right types.
        service_text=TEXT(analyzer=stemming, field_boost=2.0),
        description=TEXT(analyzer=stemming),
        name_sort=ID(sortable=True),
        services=KEYWORD(commas=True),
        districts=KEYWORD(commas=True),
        slots=KEYWORD(commas=True),
        sds=KEYWORD(commas=True),
        languages=KEYWORD(commas=True),
        intake=ID(),
        price_pence=NUMERIC(int, bits=32, sortable=True),
        insured_until=NUMERIC(int, bits=32),
        modified_at=NUMERIC(int, bits=64, sortable=True),
        position=NUMERIC(int, bits=64, stored=True),
        schema_version=STORED(),  # on the tracking document only
        listing=STORED(),
    )
