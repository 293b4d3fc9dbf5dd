"""Noting searches that found nobody, as anonymous evidence of unmet demand.

Only searches with an area count (demand is about where). A person refining one search sees
many empty pages as they type and tick; the session remembers what it already noted so one
need is counted once. Nothing about the person is recorded."""

from __future__ import annotations

import hashlib
import logging

from flask import current_app, request, session

from directory.search import SearchResult
from domain.errors import DomainError
from webapp.commanding import runtime
from webapp.simple_limiter import RateLimiter

log = logging.getLogger(__name__)
_REMEMBERED = 20


def _limiter() -> RateLimiter:
    limiter: RateLimiter | None = current_app.extensions.get("cairn_demand_limiter")
    if limiter is None:
        limiter = RateLimiter(limit=30, window=3600)
        current_app.extensions["cairn_demand_limiter"] = limiter
    return limiter


def note_unmet_demand(result: SearchResult) -> None:
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
    # The address is used only to slow a flood, in memory; it is never stored.
    if current_app.config["RATELIMIT_ENABLED"] and not _limiter().allow(
        request.remote_addr or "unknown"
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
