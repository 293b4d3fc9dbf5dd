"""PostgreSQL LISTEN for new events: a hint that wakes runners early, never relied on."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

import psycopg
from psycopg import sql

from cairn.eventlog.outages import OutageLog

log = logging.getLogger(__name__)


class NotifyListener:
    def __init__(self, conninfo: str, channel: str, wakes: Iterable[threading.Event]) -> None:
        self.conninfo = conninfo
        self.channel = channel
        self.wakes = tuple(wakes)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(3)

    def _run(self) -> None:
        outage = OutageLog(log, "PostgreSQL LISTEN (the runners keep polling meanwhile)")
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    outage.recovered()
                    while not self._stopping.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            for wake in self.wakes:
                                wake.set()
            except psycopg.Error as error:
                # The runners keep polling meanwhile; try to listen again shortly.
                outage.failed(error)
                self._stopping.wait(2.0)
