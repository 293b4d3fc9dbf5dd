"""A database outage is logged once, then summarised, then its end noted: not a traceback
on every retry of every background loop."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Sequence

import pytest

from cairn.eventlog.log import Logged
from cairn.eventlog.outages import OutageLog
from cairn.eventlog.runner import Runner


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("cairn")]


def test_an_outage_is_said_once_then_once_a_minute_then_its_end(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    outage = OutageLog(logging.getLogger("cairn.test"), "the runner", clock=clock)
    with caplog.at_level(logging.INFO):
        for _ in range(31):  # a retry every 2 s for a minute
            outage.failed(sqlite3.OperationalError("database is locked\nmore detail"))
            clock.now += 2
        outage.recovered()
    said = records(caplog)
    assert [r.levelname for r in said] == ["ERROR", "ERROR", "WARNING"]
    assert all(r.exc_info is None for r in said)  # an unreachable database needs no traceback
    assert "database is locked" in said[0].getMessage()
    assert "more detail" not in said[0].getMessage()
    assert "still failing after 60 s (31 attempts)" in said[1].getMessage()
    assert "working again after 62 s (31 failed attempts)" in said[2].getMessage()


def test_a_failure_that_is_not_an_outage_keeps_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outage = OutageLog(logging.getLogger("cairn.test"), "the runner", clock=Clock())
    with caplog.at_level(logging.INFO):
        outage.failed(KeyError("a handler bug"))
        outage.failed(KeyError("a handler bug"))
    said = records(caplog)
    assert len(said) == 1 and said[0].exc_info is not None


class Unreachable:
    """A log reader whose database does not answer for the first `failures` reads."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.reads = 0
        self.recovered = threading.Event()

    def read(self, after: int, limit: int) -> Sequence[Logged]:
        self.reads += 1
        if self.reads <= self.failures:
            raise sqlite3.OperationalError("unable to open database file")
        self.recovered.set()
        return []

    def head(self) -> int:
        return 0


class Sink:
    name = "test-sink"

    def position(self) -> int:
        return 0

    def apply(self, batch: Sequence[Logged]) -> bool:
        return True


def test_a_runner_says_an_outage_once_and_when_it_ends(caplog: pytest.LogCaptureFixture) -> None:
    reader = Unreachable(failures=6)
    runner = Runner(reader, Sink(), poll_interval=0.001)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO):
        runner.start()
        try:
            assert reader.recovered.wait(10)
        finally:
            runner.stop()
    said = [r.getMessage() for r in records(caplog)]
    assert len(said) == 2, said
    assert "projection runner test-sink: the database is not answering" in said[0]
    assert "working again" in said[1] and "6 failed attempts" in said[1]
