"""When the database cannot be reached: one plain 503 page, and nothing half-saved.

Every write is a single event-store transaction, so a command that fails here saved
nothing. The mapping is generic: any route a blueprint adds gets the same page."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template

from cairn.eventlog.outages import UNAVAILABLE_ERRORS
from cairn.web.extensions import login_manager

log = logging.getLogger(__name__)

__all__ = ["UNAVAILABLE_ERRORS", "register"]

RETRY_AFTER_SECONDS = 60


def register(app: Flask) -> None:
    def unavailable(error: Exception) -> tuple[str, int, dict[str, str]]:
        log.warning("database unavailable: %s", str(error).strip().splitlines()[:1])
        if "_login_user" not in g:
            # The page must not touch the database again to ask who is signed in.
            g._login_user = login_manager.anonymous_user()
        html = render_template("errors/unavailable.html")
        return html, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    for kind in UNAVAILABLE_ERRORS:
        app.register_error_handler(kind, unavailable)
