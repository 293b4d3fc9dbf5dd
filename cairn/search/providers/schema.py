"""The Whoosh schema: one document per visible listing, plus one tracking document.

The tracking document holds the log position the index has applied. It is written in the same
writer commit as the listings it covers, so position and documents can never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from cairn.domain.text import Text, _
from cairn.search.providers.analysis import FoldedFrequency, build_analyzer

TRACKING_ID = "__tracking__"
# Raised whenever the same field names come to hold different terms (a new analyzer): an index
# built by an older release is then emptied and rebuilt from the log (SearchIndex._open).
# 2: Porter2 stemming with accents folded (was Whoosh's Porter, which missed "bus" for "buses").
# 3: availability as day-and-time slots (`slots`), where days and times were kept apart.
# 4: whether a listing takes on new people (`intake`), read like the districts.
# 5: when what the public sees last changed (`modified_at`), for the API's modified_after.
# 6: numbers as one full-precision term each (no range tiers) and text without positions:
#    nothing queries a range or a phrase, and they were over half of every listing's postings.
SCHEMA_VERSION = 6
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


def _number(bits: int, **options: bool) -> NUMERIC:
    """A whole number indexed as one term at full precision. Whoosh's default also writes a
    term per 4-bit tier for fast range queries; Cairn asks no range of the index (prices and
    change times are read as sortable columns, insurance expiry from its full-precision terms),
    and those tiers were 44 of a listing's postings."""
    return NUMERIC(int, bits=bits, shift_step=bits, **options)


def _text(boost: float = 1.0) -> TEXT:
    """A text field of words without positions (see below), read in one pass when indexed."""
    field = TEXT(analyzer=build_analyzer(), field_boost=boost, phrase=False)
    field.format = FoldedFrequency(field_boost=boost)
    return field


def build_schema() -> Schema:
    # Words without positions: no query asks for a phrase (an everyday phrase is its words
    # together, in any order), and BM25 needs only each word's frequency and the field length.
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(),
        name=_text(3.0),
        # Service labels and descriptions, so "gardening" or "cleaning" finds the right types.
        service_text=_text(2.0),
        description=_text(),
        name_sort=ID(sortable=True),
        services=KEYWORD(commas=True),
        districts=KEYWORD(commas=True),
        slots=KEYWORD(commas=True),
        sds=KEYWORD(commas=True),
        languages=KEYWORD(commas=True),
        intake=ID(),
        price_pence=_number(32, sortable=True),
        insured_until=_number(32),
        modified_at=_number(64, sortable=True),
        position=_number(64, stored=True),
        schema_version=STORED(),  # on the tracking document only
        listing=STORED(),
    )
