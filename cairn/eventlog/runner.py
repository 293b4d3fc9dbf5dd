"""Follows the event log and feeds a sink in batches.

SQLite has no push notifications, so the runner polls. On PostgreSQL a LISTEN thread
wakes it early, but the timed poll stays: a lost NOTIFY costs one poll interval, never
a stall."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from cairn.eventlog.log import Logged, LogReader
from cairn.eventlog.outages import OutageLog

log = logging.getLogger(__name__)


class Sink(Protocol):
    name: str

    def position(self) -> int: ...

    def apply(self, batch: Sequence[Logged]) -> bool: ...


def _recovered(sink: Sink) -> bool:
    """A sink that keeps files of its own (a node's search index) may find them gone or
    unreadable, an operator having deleted the folder, say: it starts them again empty and
    the runner refills them from the log. Only the process that follows the log does this;
    a web node's workers only read, and wait (not ready) until it is done."""
    recover = getattr(sink, "recover_if_lost", None)
    return bool(recover()) if recover is not None else False


# Events per transaction when refilling read models from scratch (following the log live
# uses the runner's own, smaller batch, so new events show up and commit sooner).
REBUILD_BATCH_SIZE = 2000


class Runner:
    def __init__(
        self,
        reader: LogReader,
        sink: Sink,
        *,
        batch_size: int = 500,
        poll_interval: float = 0.5,
    ) -> None:
        self.reader = reader
        self.sink = sink
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.wake = threading.Event()
        self._stopping = threading.Event()
        self._progress = threading.Condition()
        self._thread: threading.Thread | None = None
        # One batch at a time per runner: projections keep per-batch state.
        self._batch_lock = threading.Lock()
        self.last_error: BaseException | None = None
        self._outage = OutageLog(log, f"projection runner {sink.name}")

    # -- one step -------------------------------------------------------------------

    def run_once(self, batch_size: int | None = None) -> int:
        """Apply at most one batch; return how many events it held."""
        with self._batch_lock:
            batch = self.reader.read(self.sink.position(), batch_size or self.batch_size)
            applied = bool(batch) and self.sink.apply(batch)
        if applied:
            with self._progress:
                self._progress.notify_all()
        return len(batch)

    def catch_up(
        self,
        on_progress: Callable[[int], object] | None = None,
        batch_size: int | None = None,
    ) -> int:
        """Apply everything in the log now; return how many events were read. A rebuild
        passes a larger `batch_size` (REBUILD_BATCH_SIZE): fewer commits, and nobody is
        waiting to read the first events sooner."""
        size = batch_size or self.batch_size
        target = self.reader.head()
        total = 0
        while True:
            count = self.run_once(size)
            total += count
            if on_progress and count:
                on_progress(count)
            # A short batch is the end of the log only if it was applied: another runner may
            # have won that batch with a shorter one of its own, so check where the sink got to.
            if count < size and self.sink.position() >= target:
                return total

    # -- running in the background -------------------------------------------------

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self.run_forever, name=f"runner-{self.sink.name}", daemon=True
        )
        self._thread.start()

    @property
    def alive(self) -> bool:
        """Following the log in the background (a stopped or dead thread is not)."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self.wake.set()
        if self._thread:
            self._thread.join(timeout)

    def run_forever(self) -> None:
        backoff = self.poll_interval
        while not self._stopping.is_set():
            try:
                count = self.run_once()
                self.last_error = None
                self._outage.recovered()
                backoff = self.poll_interval
            except Exception as error:  # the database went away, or a handler failed
                self._outage.failed(error)
                self.last_error = error
                count = 0
                if _recovered(self.sink):
                    backoff = self.poll_interval
                    continue
                backoff = min(backoff * 2, 10.0)
                self._stopping.wait(backoff)
                continue
            if count < self.batch_size:
                self.wake.wait(self.poll_interval)
                self.wake.clear()

    # -- read-your-writes ----------------------------------------------------------

    def wait_for(self, position: int, timeout: float = 5.0) -> bool:
        """Block until the sink has applied `position`, or the timeout passes."""
        deadline = time.monotonic() + timeout
        self.wake.set()
        while self.sink.position() < position:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if self._thread and self._thread.is_alive():
                with self._progress:
                    self._progress.wait(min(remaining, 0.05))
            else:
                time.sleep(min(remaining, 0.02))
        return True
