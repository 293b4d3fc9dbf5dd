"""Noting searches that found nobody, as anonymous evidence of unmet demand.

A signal is recorded only for a settled search: when the searcher says so, by POSTing the
"tell the CIC" button on an empty result (cairn.web.public.search.could_not_find). A GET
never writes to the event store, so the live search's keystrokes ("K", "KA", "KA1", "KA19")
never record, and no page anywhere can make a visitor's browser write by linking or embedding.

Only searches with an area count (demand is about where): a postcode or district the geo data
knows, or a town (noted as its first district); not a council area, which is no one place, and
never a place we could not find (`KA99`, a typo), which is no evidence of anything. The search
is run again so that only a really empty one counts.

One search session records at most once: the session remembers the districts it has noted, so
a person who presses the button, ticks another box and presses it again is one need, not three
(their first settled search is the one kept). Each address may send SIGNALS_PER_ADDRESS
(counted in the shared rate-limit store).

The words typed are reduced to the service keys the everyday-words vocabulary finds in them
("someone to sit with my mum" -> companionship); the words themselves are never kept, nor
anything about the person."""

from __future__ import annotations

import hashlib
import logging

from flask import session

from cairn.domain.errors import DomainError
from cairn.search.providers.search import SearchResult
from cairn.search.providers.words import read_query
from cairn.web import ratelimit
from cairn.web.commanding import runtime

log = logging.getLogger(__name__)
_REMEMBERED = 20


# Signals one address may send; more are thanked for and dropped.
SIGNALS_PER_ADDRESS = "30 per hour"


def services_meant(text: str) -> tuple[str, ...]:
    """The service keys the vocabulary finds in the words; every other word is dropped."""
    return tuple(dict.fromkeys(s for c in read_query(text).concepts for s in c.services))


def note_unmet_demand(result: SearchResult) -> None:
    """Record the signal for an empty search with an area, at most once per session."""
    search = result.request
    if result.total or not search.district:
        return
    # The session's search, normalised to its place: refining it is the same need.
    fingerprint = hashlib.sha256(search.district.encode()).hexdigest()[:16]
    noted: list[str] = list(session.get("demand_noted", []))
    if fingerprint in noted:
        return
    # The address is used only to slow a flood, as a keyed digest in expiring counters.
    if ratelimit.enabled() and not ratelimit.rate_limits().allow(
        "unmet-demand", SIGNALS_PER_ADDRESS, ratelimit.address()
    ):
        return
    rt = runtime()
    try:
        rt.app.enquiries.record_unmet_demand(
            district=search.district,
            services=search.services,
            days=search.days,
            times=search.times,
            word_services=services_meant(search.text),
            known_districts=rt.directory.gazetteer.districts,
        )
    except DomainError:
        log.warning("could not record an unmet demand signal", exc_info=True)
        return
    session["demand_noted"] = [*noted, fingerprint][-_REMEMBERED:]
