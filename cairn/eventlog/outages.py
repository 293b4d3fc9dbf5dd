"""Logging a failure that repeats, such as a database outage, once rather than on every retry.

A background loop that retries every couple of seconds would otherwise write a traceback per
retry per process for as long as the outage lasts. An OutageLog writes the first failure,
then one line every `summary_every` seconds while it goes on, and one line when it ends."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable

import psycopg
from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from sqlalchemy.exc import InterfaceError as SqlInterfaceError
from sqlalchemy.exc import OperationalError as SqlOperationalError

# The kinds of error that mean "the database is not answering just now".
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    StoreOperationalError,
    StoreInterfaceError,
    SqlOperationalError,
    SqlInterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,
)

SUMMARY_EVERY_SECONDS = 60.0


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class OutageLog:
    def __init__(
        self,
        logger: logging.Logger,
        what: str,
        *,
        summary_every: float = SUMMARY_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.what = what
        self.summary_every = summary_every
        self.clock = clock
        self._since: float | None = None
        self._kind: type[BaseException] | None = None
        self._failures = 0
        self._last_said = 0.0

    @property
    def failing(self) -> bool:
        return self._since is not None

    def failed(self, error: BaseException) -> None:
        now = self.clock()
        if self._since is None or type(error) is not self._kind:
            # A new failure (or a different one in the middle of an outage): say it in full,
            # except that an unreachable database needs no traceback to be understood.
            self._since = now if self._since is None else self._since
            self._kind = type(error)
            self._failures = 1
            self._last_said = now
            if isinstance(error, UNAVAILABLE_ERRORS):
                self.logger.error(
                    "%s: the database is not answering (%s); retrying, and saying so "
                    "once a minute while it lasts",
                    self.what,
                    first_line(error),
                )
            else:
                self.logger.error("%s failed; will retry", self.what, exc_info=error)
            return
        self._failures += 1
        if now - self._last_said >= self.summary_every:
            self._last_said = now
            self.logger.error(
                "%s: still failing after %d s (%d attempts): %s",
                self.what,
                round(now - self._since),
                self._failures,
                first_line(error),
            )

    def recovered(self) -> None:
        if self._since is None:
            return
        self.logger.warning(
            "%s: working again after %d s (%d failed attempts)",
            self.what,
            round(self.clock() - self._since),
            self._failures,
        )
        self._since = None
        self._kind = None
        self._failures = 0
