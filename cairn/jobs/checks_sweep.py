"""The daily look at every live listing's insurance: lapsed ones are hidden, each by an event.

`cairn checks sweep` runs it once (for cron); the embedded runtime also runs it every hour, so
a listing is hidden within an hour of its insurance running out even with no cron at all.
Running it twice, or in two processes at once, is harmless: each provider decides for itself."""

from __future__ import annotations

import logging
import threading
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from cairn.domain.clock import today as today_of
from cairn.jobs.enquiry_retention import purge_expired_enquiries
from cairn.readmodels.directory.queries import expired_insurance_candidates

if TYPE_CHECKING:
    from cairn.bootstrap.runtime import Runtime

log = logging.getLogger(__name__)

SWEEP_EVERY_SECONDS = 3600.0


def sweep_checks(runtime: Runtime, today: date | None = None) -> list[UUID]:
    """Hide the listings whose insurance has lapsed; returns the providers hidden now."""
    day = today or today_of(runtime.app.clock)
    candidates = expired_insurance_candidates(runtime.read_engine, day)
    return runtime.app.directory.hide_expired_listings(day, candidates)


class CheckSweeper:
    """Runs the sweep soon after start, then every `interval` seconds, until stopped."""

    def __init__(self, runtime: Runtime, interval: float = SWEEP_EVERY_SECONDS) -> None:
        self.runtime = runtime
        self.interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="check-sweeper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(3)

    def _run(self) -> None:
        # A short pause first, so the read models have caught up after a start.
        while not self._stopping.wait(min(self.interval, 5.0) if self._first else self.interval):
            self._first = False
            try:
                hidden = sweep_checks(self.runtime)
                # Enquiries past their retention period go in the same round.
                purge_expired_enquiries(self.runtime)
            except Exception:  # the database went away: try again next time
                log.exception("the insurance or enquiry sweep failed; it will run again")
                continue
            if hidden:
                log.info("hid %d listings whose insurance has lapsed", len(hidden))

    _first = True
