"""Is this node ready to serve? The answer `/readyz` gives a load balancer, and that the
search pages and the open API ask before answering.

A node is ready when its database answers, every projection it runs (the SQL read models
when it keeps them, and always its own search indexes) is within `CAIRN_READY_MAX_LAG`
events of the log's head, its provider index has been warmed up (the first snapshot and the
commonest words' postings, the slow part of a worker's first searches), and whatever follows
the log for it is running. A node that is behind says so rather than serve a partial
directory."""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cairn.bootstrap.runtime import Runtime
from cairn.bootstrap.settings import ConfigError
from cairn.eventlog.outages import first_line

log = logging.getLogger(__name__)

# Which projections a node runs, by the scope its projections follow (runtime.start).
SCOPES = ("all", "node")

# How long a worker trusts its last check before the next request makes a new one: short
# enough that a node which falls behind says so within a second, long enough that busy
# search traffic costs one check per worker per interval, not one per request.
RECHECK_SECONDS = 0.5

# How long one check waits for a warm-up under way before it reports "not ready".
WARM_UP_WAIT_SECONDS = 1.0

# Something that says why the node's projections are not being followed, or None.
Liveness = Callable[[], str | None]


@dataclass(frozen=True)
class Projection:
    name: str
    position: int
    lag: int
    followed_here: bool  # counted towards this node's readiness


@dataclass(frozen=True)
class Report:
    ready: bool
    database: bool
    head: int | None
    max_lag: int
    projections: tuple[Projection, ...] = ()
    problems: tuple[str, ...] = ()
    checked_at: float = field(default=0.0, compare=False)

    @property
    def behind(self) -> tuple[str, ...]:
        """The projections this node runs that are further behind than it allows."""
        return tuple(p.name for p in self.projections if p.followed_here and p.lag > self.max_lag)

    def as_json(self) -> dict[str, Any]:
        return {
            "ready": self.ready,
            "database": "ok" if self.database else "unreachable",
            "head": self.head,
            "max_lag": self.max_lag,
            "behind": list(self.behind),
            "projections": {
                p.name: {"position": p.position, "lag": p.lag, "followed_here": p.followed_here}
                for p in self.projections
            },
            "problems": list(self.problems),
        }


class Readiness:
    """One process's view of its node's readiness, checked at most every RECHECK_SECONDS."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        scope: str,
        liveness: Liveness | None = None,
        recheck_seconds: float = RECHECK_SECONDS,
    ) -> None:
        if scope not in SCOPES:
            raise ValueError(f"scope must be one of {SCOPES}")
        self.runtime = runtime
        self.scope = scope
        self.liveness = liveness
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._last: Report | None = None

    def current(self) -> Report:
        """The last check if it is recent, else a new one (one thread checks at a time)."""
        with self._lock:
            last = self._last
            if last is not None and time.monotonic() - last.checked_at < self.recheck_seconds:
                return last
            fresh = self._last = self._check()
            self._note_change(last, fresh)
            return fresh

    def check(self) -> Report:
        """A fresh check, whatever the last one said (for /readyz)."""
        with self._lock:
            last = self._last
            fresh = self._last = self._check()
            self._note_change(last, fresh)
            return fresh

    def _check(self) -> Report:
        runtime = self.runtime
        max_lag = runtime.settings.ready_max_lag
        now = time.monotonic()
        try:
            head = runtime.reader.head()
            shared = runtime.sql_sink.positions()
        except Exception as error:  # any failure to answer means "not ready", never a 500
            return Report(
                ready=False,
                database=False,
                head=None,
                max_lag=max_lag,
                problems=(f"the database is not answering ({first_line(error)})",),
                checked_at=now,
            )
        problems: list[str] = []
        positions: list[tuple[str, int, bool]] = [
            (name, position, self.scope == "all") for name, position in shared.items()
        ]
        try:
            positions.append((runtime.index_sink.name, runtime.index_sink.position(), True))
            positions.append((runtime.learning_index.name, runtime.learning_index.position(), True))
            if not runtime.directory.warmed.is_set():
                # A worker's first searches are slow while the index's first snapshot (facets,
                # sort orders) and its commonest words' postings are unread: read them in the
                # background, and say "not ready" until that is done.
                runtime.directory.warm_in_background()
                # A small index warms in milliseconds: wait that long rather than turn the
                # first visitor away; a big one reports "warming up" until it is done.
                if not runtime.directory.warmed.wait(WARM_UP_WAIT_SECONDS):
                    problems.append("the search index is warming up")
        except Exception as error:  # a missing or unreadable index directory
            problems.append(f"this node's search indexes cannot be read ({first_line(error)})")
        projections = tuple(
            Projection(name, position, max(head - position, 0), here)
            for name, position, here in positions
        )
        for p in projections:
            if p.followed_here and p.lag > max_lag:
                problems.append(f"{p.name} is {p.lag} events behind")
            elif p.name == runtime.index_sink.name and runtime.search_index.refilling:
                runtime.search_index.refilled()  # started again, and whole once more
        if self.liveness is not None:
            down = self.liveness()
            if down:
                problems.append(down)
        return Report(
            ready=not problems,
            database=True,
            head=head,
            max_lag=max_lag,
            projections=projections,
            problems=tuple(problems),
            checked_at=now,
        )

    @staticmethod
    def _note_change(before: Report | None, after: Report) -> None:
        """Log when readiness changes, not on every check."""
        if before is not None and before.ready == after.ready:
            return
        if after.ready:
            log.info("ready: every projection is within %d events of the log", after.max_lag)
        else:
            log.warning("not ready: %s", "; ".join(after.problems))


# The process that follows the log for a node's indexes (`cairn serve`'s sidecar) holds an
# exclusive lock on this file for as long as it runs; the kernel lets go of it however the
# process ends, kill -9 included, so a free lock means that nobody is following.
FOLLOWER_LOCK = "follower.lock"


def hold_follower_lock(index_dir: Path) -> IO[bytes]:
    """Take the node's follower lock for this process's lifetime (keep the file open)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    handle = (index_dir / FOLLOWER_LOCK).open("ab")
    # A web worker checking the lock holds it shared for an instant: try for a little while.
    deadline = time.monotonic() + 2.0
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() < deadline:
                time.sleep(0.01)
                continue
        handle.close()
        raise ConfigError(
            f"Another `cairn projections run` already follows the log for the indexes in "
            f"{index_dir}: each node's indexes have one writer (set CAIRN_INDEX_DIR apart)."
        )


def follower_running(index_dir: Path) -> Liveness:
    """A liveness check: is some process holding the node's follower lock?"""
    path = index_dir / FOLLOWER_LOCK

    def check() -> str | None:
        try:
            with path.open("ab") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
                except BlockingIOError:
                    return None  # held: the follower is running
                fcntl.flock(handle, fcntl.LOCK_UN)
        except OSError as error:
            return f"cannot check the projection process ({first_line(error)})"
        return "the projection process that follows the log for this node is not running"

    return check
