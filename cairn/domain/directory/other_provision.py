"""Other provision: the services councils, the NHS and the third sector already run, loaded
from an Open Referral UK feed or a spreadsheet, so the CIC's coverage board can show them
beside its own providers ("avoid duplicating existing provision").

Each source (a council's feed, a third-sector list) is one aggregate, and loading it again
replaces what it held: the CIC keeps a copy of someone else's published list, never edits
it. Nothing here is about a person: organisations' public services only, and no contact
details are kept (a feed's emails and phone numbers are not copied)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from cairn.domain.errors import InvalidTransition
from cairn.domain.validation import _

MAX_SOURCE_NAME = 120
MAX_SERVICES = 20_000  # a whole region's feed fits; a runaway file does not


@dataclass(frozen=True)
class OtherService:
    """One service another organisation runs, as the source describes it."""

    organisation: str
    name: str
    districts: tuple[str, ...]  # the postcode districts it serves, as resolved on loading
    service_types: tuple[str, ...] = ()  # Cairn's own keys, where the source's terms match
    url: str = ""
    ref: str = ""  # the source's own id for it, when it has one

    def as_event_value(self) -> dict[str, Any]:
        values = asdict(self)
        values["districts"] = list(self.districts)
        values["service_types"] = list(self.service_types)
        return values

    @classmethod
    def from_event_value(cls, value: dict[str, Any]) -> OtherService:
        return cls(
            organisation=value["organisation"],
            name=value["name"],
            districts=tuple(value.get("districts", ())),
            service_types=tuple(value.get("service_types", ())),
            url=value.get("url", ""),
            ref=value.get("ref", ""),
        )


def source_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def provision_source_id(name: str) -> UUID:
    """One record per source name (any case or spacing), so loading "North Ayrshire feed"
    twice replaces it instead of counting its services twice."""
    return uuid5(NAMESPACE_URL, f"cairn:other-provision:{source_key(name)}")


class ProvisionSource(Aggregate):
    class Started(Aggregate.Created):
        source_name: str

    class Loaded(Aggregate.Event):
        by: UUID
        source_name: str
        file_kind: str  # "oruk" or "csv"
        # OtherService.as_event_value() of each: the whole list, replacing the last one.
        services: list[dict[str, Any]]

    class Removed(Aggregate.Event):
        by: UUID

    @event(Started)
    def __init__(self, id: UUID, source_name: str) -> None:
        self.source_name = source_name
        self.services: tuple[OtherService, ...] = ()
        self.removed = False

    def load(
        self, *, by: UUID, source_name: str, file_kind: str, services: list[OtherService]
    ) -> None:
        if not services:
            raise InvalidTransition(_("The file has no services in Scotland to load."))
        if len(services) > MAX_SERVICES:
            raise InvalidTransition(
                _("A source can hold up to {n} services.").format(n=f"{MAX_SERVICES:,}")
            )
        self._loaded(
            by=by,
            source_name=source_name,
            file_kind=file_kind,
            services=[s.as_event_value() for s in services],
        )

    @event(Loaded)
    def _loaded(
        self, by: UUID, source_name: str, file_kind: str, services: list[dict[str, Any]]
    ) -> None:
        self.source_name = source_name
        self.services = tuple(OtherService.from_event_value(s) for s in services)
        self.removed = False

    def remove(self, *, by: UUID) -> None:
        if self.removed:
            raise InvalidTransition(_("This source has already been removed."))
        self._removed(by=by)

    @event(Removed)
    def _removed(self, by: UUID) -> None:
        self.services = ()
        self.removed = True


def start_source(name: str) -> ProvisionSource:
    return ProvisionSource(id=provision_source_id(name), source_name=name)
