"""Reading the event log in order, decoded into domain events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cairn.domain.app import CairnApp


@dataclass(frozen=True)
class Logged:
    position: int
    event: Any


class LogReader:
    def __init__(self, app: CairnApp) -> None:
        self.app = app

    def read(self, after: int, limit: int) -> Sequence[Logged]:
        notifications = self.app.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        to_event = self.app.mapper.to_domain_event
        batch = getattr(self.app.mapper, "batch", None)
        if batch is None:
            return [Logged(n.id, to_event(n)) for n in notifications]
        with batch():  # one key look-up per person in the batch
            return [Logged(n.id, to_event(n)) for n in notifications]

    def head(self) -> int:
        return self.app.head()
