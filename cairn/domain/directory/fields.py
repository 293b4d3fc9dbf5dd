"""The provider listing's fields, each described once.

Adding a listing field used to mean about 28 hand-made edits in 17 files, and a missed one failed
silently (the history showed a raw key, ORUK or the CSV left it out, the edit form started blank).
Now each field is one `ListingField` here, and the aggregate's edit diff, the CSV columns, the
public listing JSON, the search document, the history labels, the ORUK mapping and the provider
forms' load and save are all derived from `LISTING_SPEC`. docs/contributing.md ("Adding a listing
field") walks through what is still written by hand.

Labels are English marked with `_` (cairn.domain.text): the domain cannot translate, the web does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from cairn.domain.availability import parse_availability, read_availability, require_slots
from cairn.domain.errors import DomainError
from cairn.domain.service_types import parse_service_types
from cairn.domain.text import Text, _
from cairn.domain.validation import (
    DEFAULT_TEXT_LANGUAGE,
    clean_text,
    normalise_districts,
    normalise_email,
    normalise_postcode,
    normalise_uk_phone,
    normalise_url,
    parse_language,
    parse_languages,
    parse_price,
    parse_sds_options,
)

NAME_MIN_LENGTH = 2
NAME_MAX_LENGTH = 120
CONTACT_NAME_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 2000
# Descriptions were English before their language was asked for.
DEFAULT_DESCRIPTION_LANGUAGE = DEFAULT_TEXT_LANGUAGE


class Kind(StrEnum):
    """How a value is held, stored in events and JSON, and shown in a form."""

    TEXT = "text"  # a required string
    OPTIONAL_TEXT = "optional text"  # a string or None
    CODES = "codes"  # a tuple of codes, chosen from a fixed list (checkboxes)
    WORDS = "words"  # a tuple of codes typed as words (postcode districts, languages)
    AVAILABILITY = "availability"  # a tuple of day-and-time slots (a grid of checkboxes)
    MONEY = "money"  # a Decimal in pounds, or None


# Kinds held as tuples on the aggregate and as lists in events, since JSON has no tuples.
TUPLE_KINDS = frozenset({Kind.CODES, Kind.WORDS, Kind.AVAILABILITY})


class SearchRole(StrEnum):
    TEXT = "text"  # matched by the words people type
    FACET = "facet"  # counted and filtered on the search page
    FILTER = "filter"  # filtered on, not counted (districts)
    SORT = "sort"  # ordered by (price)
    STORED = "stored"  # only shown, from the stored listing JSON


@dataclass(frozen=True)
class ListingField:
    name: str  # the attribute on Provider and PublicListing, the key in events and forms
    kind: Kind
    parse: Callable[[str], object]  # from cairn.domain.validation: text in, canonical value out
    label: Text  # what history and forms call it, in English
    public: bool  # shown on the public listing (profile, search, API)
    csv_column: str | None  # its column in the import CSV, or None if not imported
    search: SearchRole
    # The whoosh fields a searchable value is indexed in; AVAILABILITY splits into days/times.
    index_fields: tuple[str, ...] = ()
    # Where Open Referral UK shows it ("organization.website"), or None, with the reason beside.
    oruk: tuple[str, ...] = ()
    editable: bool = True  # the provider may change it (email is the account's identity)
    # The message for an empty CSV cell, when the field is required there.
    missing_message: Text | None = None
    # What a listing stored before the field existed holds (None: nothing).
    default: object = None


def _name(text: str) -> str:
    return clean_text(text, min_length=NAME_MIN_LENGTH, max_length=NAME_MAX_LENGTH)


def _contact_name(text: str) -> str:
    return clean_text(text, max_length=CONTACT_NAME_MAX_LENGTH)


def _description(text: str) -> str:
    return clean_text(text, max_length=DESCRIPTION_MAX_LENGTH, multiline=True)


# In the import CSV's documented column order, which is also the order a row's errors come in.
LISTING_SPEC: tuple[ListingField, ...] = (
    ListingField(
        "name",
        Kind.TEXT,
        _name,
        _("Business name"),
        public=True,
        csv_column="name",
        search=SearchRole.TEXT,
        index_fields=("name",),
        oruk=("service.name", "organization.name"),
        missing_message=_("Enter the business name"),
    ),
    ListingField(
        "contact_name",
        Kind.TEXT,
        _contact_name,
        _("Contact"),
        public=True,
        csv_column="contact_name",
        search=SearchRole.STORED,
        oruk=("service.contacts",),
        missing_message=_("Enter the name of the person to contact"),
    ),
    ListingField(
        "email",
        Kind.TEXT,
        normalise_email,
        _("Email"),
        public=True,
        csv_column="email",
        search=SearchRole.STORED,
        oruk=("service.email", "organization.email"),
        editable=False,
        missing_message=_("Enter an email address"),
    ),
    ListingField(
        "phone",
        Kind.OPTIONAL_TEXT,
        normalise_uk_phone,
        _("Phone"),
        public=True,
        csv_column="phone",
        search=SearchRole.STORED,
        oruk=("service.phones",),
    ),
    ListingField(
        "postcode",
        Kind.TEXT,
        normalise_postcode,
        _("Postcode"),
        # Only its district is public (PublicListing.district), never the full postcode.
        public=False,
        csv_column="postcode",
        search=SearchRole.STORED,
        missing_message=_("Enter a postcode"),
    ),
    ListingField(
        "areas_covered",
        Kind.WORDS,
        normalise_districts,
        _("Areas covered"),
        public=True,
        csv_column="areas_covered",
        search=SearchRole.FILTER,
        index_fields=("districts",),
        oruk=("service.service_areas",),
        missing_message=_("Enter the postcode districts covered, like KA7;KA8"),
    ),
    ListingField(
        "services",
        Kind.CODES,
        parse_service_types,
        _("Services"),
        public=True,
        csv_column="services",
        search=SearchRole.FACET,
        index_fields=("services",),
        oruk=("service.service_taxonomys", "service.attributes"),
        missing_message=_("Choose at least one service"),
    ),
    ListingField(
        "description",
        Kind.TEXT,
        _description,
        _("Description"),
        public=True,
        csv_column="description",
        search=SearchRole.TEXT,
        index_fields=("description",),
        oruk=("service.description", "organization.description"),
        missing_message=_("Enter a description"),
    ),
    ListingField(
        "description_language",
        Kind.TEXT,
        parse_language,
        _("Language of the description"),
        public=True,
        # Optional: a file without the column, or an empty cell, means English.
        csv_column="description_language",
        search=SearchRole.STORED,
        # ORUK 3.0 has no field for the language a text is written in.
        oruk=(),
        default=DEFAULT_DESCRIPTION_LANGUAGE,
    ),
    ListingField(
        "languages",
        Kind.WORDS,
        parse_languages,
        _("Languages"),
        public=True,
        csv_column="languages",
        search=SearchRole.FACET,
        index_fields=("languages",),
        oruk=("service.languages",),
    ),
    ListingField(
        "availability",
        Kind.AVAILABILITY,
        parse_availability,
        _("Days and times"),
        public=True,
        csv_column="availability",
        search=SearchRole.FACET,
        index_fields=("slots",),
        oruk=("service.schedules",),
    ),
    ListingField(
        "price_per_hour",
        Kind.MONEY,
        parse_price,
        _("Price per hour"),
        public=True,
        csv_column="price_per_hour",
        search=SearchRole.SORT,
        index_fields=("price_pence",),
        oruk=("service.cost_options", "service.fees_description"),
    ),
    ListingField(
        "sds_options",
        Kind.CODES,
        parse_sds_options,
        _("Self-directed Support options"),
        public=True,
        csv_column="sds_options",
        search=SearchRole.FACET,
        index_fields=("sds",),
        oruk=("service.attributes",),
    ),
    ListingField(
        "website",
        Kind.OPTIONAL_TEXT,
        normalise_url,
        _("Website"),
        public=True,
        csv_column="website",
        search=SearchRole.STORED,
        oruk=("organization.website", "organization.url"),
    ),
)

FIELDS_BY_NAME = {f.name: f for f in LISTING_SPEC}
# What a provider may change on their listing.
LISTING_FIELDS = tuple(f.name for f in LISTING_SPEC if f.editable)
TUPLE_FIELDS = frozenset(f.name for f in LISTING_SPEC if f.kind in TUPLE_KINDS)
PUBLIC_FIELDS = tuple(f for f in LISTING_SPEC if f.public)
# The index fields people filter by and see counted.
FACET_FIELDS = tuple(
    index for f in LISTING_SPEC if f.search is SearchRole.FACET for index in f.index_fields
)


def held(name: str, value: Any) -> Any:
    """The value as the aggregate holds it: tuples for list kinds (events give lists)."""
    return tuple(value) if name in TUPLE_FIELDS and value is not None else value


def in_event(name: str, value: Any) -> Any:
    """The value as an event stores it: lists for tuples (money stays a Decimal)."""
    return list(value) if name in TUPLE_FIELDS and value is not None else value


def to_json(name: str, value: Any) -> Any:
    """The value in JSON-friendly form: lists for tuples, strings for money."""
    spec = FIELDS_BY_NAME[name]
    kind = spec.kind
    if value is None:
        return spec.default
    if kind in TUPLE_KINDS:
        return list(value)
    if kind is Kind.MONEY:
        return str(value)
    return value


def from_json(name: str, value: Any) -> Any:
    """The inverse of to_json."""
    kind = FIELDS_BY_NAME[name].kind
    if value is None:
        return None
    if kind is Kind.AVAILABILITY:
        return read_availability(value)  # drafts and documents from before slots read as slots
    if kind in TUPLE_KINDS:
        return tuple(value)
    if kind is Kind.MONEY:
        return Decimal(value)
    return value


def district_of(postcode: str) -> str:
    return postcode.split()[0]


def with_own_district(postcode: str, areas: Iterable[str]) -> tuple[str, ...]:
    """A provider always covers its own district, whatever else it lists."""
    return tuple(dict.fromkeys((district_of(postcode), *areas)))


class ListingHolder(Protocol):
    """An aggregate's listing state: a provider, as its edits see it."""

    postcode: str
    areas_covered: tuple[str, ...]


def listing_diff(
    current: ListingHolder, changes: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the listing fields that really change, new and old, in the form events hold."""
    unknown = set(changes) - set(LISTING_FIELDS)
    if unknown:
        raise DomainError(
            _("These details cannot be changed here: {fields}").format(
                fields=", ".join(sorted(unknown))
            )
        )
    after: dict[str, Any] = {}
    before: dict[str, Any] = {}
    for field, value in changes.items():
        new = held(field, value)
        if field == "availability":
            new = require_slots(new)
        if field == "areas_covered":
            new = with_own_district(changes.get("postcode", current.postcode), new)
        if new != getattr(current, field):
            after[field] = in_event(field, new)
            before[field] = in_event(field, getattr(current, field))
    return after, before


def set_listing(target: ListingHolder, changes: Mapping[str, Any]) -> None:
    """Apply listing changes to an aggregate's state (a provider always covers its district)."""
    for field, value in changes.items():
        setattr(target, field, held(field, value))
    if "postcode" in changes:
        target_areas = target.areas_covered
        target.areas_covered = with_own_district(target.postcode, target_areas)
