"""What a command returns."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Done:
    """What a command changed: the aggregate it acted on and the log position of its
    last event, which the web layer waits for before it shows the result."""

    id: UUID
    position: int
