"""One background thread for every periodic job of a process, each on its own interval.

The runtime starts it for the shared scope (one per database, like the shared runners),
since the jobs write events: the insurance sweep, enquiry retention, enquiry emails."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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
            except Exception:  # any failure: log it, try again next turn
                log.exception("the job %r failed; it will run again", job.name)
            self._due[job.name] = self.monotonic() + job.every
            ran.append(job.name)
        return ran

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.run_due()
            wait = min(self._due.values(), default=self.monotonic() + 60) - self.monotonic()
            self._stopping.wait(max(wait, 0.05))
