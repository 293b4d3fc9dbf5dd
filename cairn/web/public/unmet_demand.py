"""Noting searches that found nobody, as anonymous evidence of unmet demand.

A signal is recorded only when the searcher says so, by POSTing the "tell the CIC" button on
an empty result (cairn.web.public.search.could_not_find): a GET never writes to the event
store, so no page anywhere can make a visitor's browser write by linking or embedding.

Only searches with an area count (demand is about where): a postcode or district we know, or
a town (noted as its first district); not a council area, which is no one place, and never a
place we could not find (`KA99`, a typo), which is no evidence of anything. The search is run
again so
that only a really empty one counts. The session remembers what it already noted so one need
is counted once, and each address may send SIGNALS_PER_ADDRESS (counted in the shared
rate-limit store). Nothing about the person is recorded."""

from __future__ import annotations

import hashlib
import logging

from flask import session

from cairn.domain.errors import DomainError
from cairn.search.providers.search import SearchResult
from cairn.web import ratelimit
from cairn.web.commanding import runtime

log = logging.getLogger(__name__)
_REMEMBERED = 20


# Signals one address may send; more are thanked for and dropped.
SIGNALS_PER_ADDRESS = "30 per hour"


def note_unmet_demand(result: SearchResult) -> None:
    """Record the signal for an empty search with an area, at most once per session."""
    search = result.request
    if result.total or not search.district:
        return
    fingerprint = hashlib.sha256(
        "|".join(
            [
                search.district,
                ",".join(search.services),
                ",".join(search.days),
                ",".join(search.times),
            ]
        ).encode()
    ).hexdigest()[:16]
    noted: list[str] = list(session.get("demand_noted", []))
    if fingerprint in noted:
        return
    # The address is used only to slow a flood, as a keyed digest in expiring counters.
    if ratelimit.enabled() and not ratelimit.rate_limits().allow(
        "unmet-demand", SIGNALS_PER_ADDRESS, ratelimit.address()
    ):
        return
    try:
        runtime().app.enquiries.record_unmet_demand(
            district=search.district,
            services=search.services,
            days=search.days,
            times=search.times,
        )
    except DomainError:
        log.warning("could not record an unmet demand signal", exc_info=True)
        return
    session["demand_noted"] = [*noted, fingerprint][-_REMEMBERED:]
