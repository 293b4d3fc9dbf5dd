"""Running a domain command from a view: then wait until the person can see its result."""

from __future__ import annotations

import logging

from flask import current_app

from cairn.bootstrap.runtime import Runtime
from cairn.domain.outcome import Done

log = logging.getLogger(__name__)


def runtime() -> Runtime:
    rt: Runtime = current_app.extensions["cairn"]
    return rt


def settle(done: Done, timeout: float = 5.0) -> Done:
    """Read-your-writes: hold the response until the read models include this change."""
    if not runtime().wait_for(done.position, timeout):
        # The change is safe in the log; the page may simply show it a moment late.
        log.warning("read models had not reached position %s after %ss", done.position, timeout)
    return done
