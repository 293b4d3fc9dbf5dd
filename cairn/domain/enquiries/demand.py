"""A search that found nobody: the evidence for where new micro-providers are needed.

Anonymised by construction: only the postcode district and the structured choices. No free
text, no full postcode, nothing about the person or their device. The words of the search
are kept only as the service keys the everyday-words vocabulary found in them."""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.domain import Aggregate, event


class UnmetDemandSignal(Aggregate):
    class Recorded(Aggregate.Created):
        district: str
        # Tuples when made, lists once read back from the log.
        services: Sequence[str]
        days: Sequence[str]
        times: Sequence[str]
        # Service keys the search's words meant ("hoovering" -> domestic-help). Signals
        # recorded before the words were kept have none: the class default reads them.
        word_services: Sequence[str] = ()

    @event(Recorded)
    def __init__(
        self,
        district: str,
        services: tuple[str, ...],
        days: tuple[str, ...],
        times: tuple[str, ...],
        word_services: tuple[str, ...] = (),
    ) -> None:
        self.district = district
        self.services = tuple(services)
        self.days = tuple(days)
        self.times = tuple(times)
        self.word_services = tuple(word_services)
