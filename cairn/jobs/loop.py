"""One background thread for every periodic job of a process, each on its own interval.

The runtime starts it for the shared scope (one per database, like the shared runners),
since the jobs write events: the insurance sweep, enquiry retention, enquiry emails."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cairn.eventlog.outages import OutageLog

log = logging.getLogger(__name__)

# A short pause before each job's first run, so the read models have caught up after a start.
FIRST_RUN_AFTER_SECONDS = 5.0


@dataclass(frozen=True)
class Job:
    name: str
    every: float  # seconds between runs
    run: Callable[[], object]


class JobsLoop:
    """Runs each job soon after start, then every `job.every` seconds, until stopped.

    A job that raises (the database went away, say) is logged and tried again at its next
    turn; it never stops the others."""

    def __init__(
        self, jobs: Iterable[Job], *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.jobs = list(jobs)
        self.monotonic = monotonic
        self._due: dict[str, float] = {}
        self._outages = {job.name: OutageLog(log, f"the job {job.name!r}") for job in self.jobs}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cairn-jobs", daemon=True)

    def start(self) -> None:
        start = self.monotonic()
        self._due = {job.name: start + min(job.every, FIRST_RUN_AFTER_SECONDS) for job in self.jobs}
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def run_due(self) -> list[str]:
        """Run every job whose time has come; return their names."""
        ran = []
        for job in self.jobs:
            now = self.monotonic()
            if self._due.get(job.name, now) > now:
                continue
            try:
                job.run()
                self._outages[job.name].recovered()
            except Exception as error:  # any failure: log it (once), try again next turn
                self._outages[job.name].failed(error)
            self._due[job.name] = self.monotonic() + job.every
            ran.append(job.name)
        return ran

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.run_due()
            wait = min(self._due.values(), default=self.monotonic() + 60) - self.monotonic()
            self._stopping.wait(max(wait, 0.05))
