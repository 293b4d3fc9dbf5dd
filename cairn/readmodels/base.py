"""What a projection is: some tables and the handlers that fill them from events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from sqlalchemy import Connection, Table

from cairn.readmodels.batch import BatchWriter

Handler = Callable[..., None]


class Projection:
    """A read model. Subclasses list their tables and register handlers with `@handles`.

    Handlers receive the connection of the batch's transaction, the domain event and its
    position in the log. They must only write through that connection, so that the rows
    and the tracking position commit together."""

    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]
    _handlers: ClassVar[dict[type, str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = {}
        for attr, value in vars(cls).items():
            for event_class in getattr(value, "_handles", ()):
                cls._handlers[event_class] = attr

    def wants(self, event_type: type) -> bool:
        """Whether events of this class concern this projection. The sink offers a projection
        only the events it wants, so most events skip most projections. A projection that
        overrides `handle` overrides this too."""
        return event_type in self._handlers

    def handle(self, conn: Connection, domain_event: Any, position: int) -> None:
        attr = self._handlers.get(type(domain_event))
        if attr is not None:
            getattr(self, attr)(conn, domain_event, position)

    def flush(self, conn: Connection) -> None:
        """Called once at the end of each batch, inside its transaction.

        A projection that gathers work per batch (say, the ids of providers to refresh)
        does it here, once, instead of once per event."""

    def discard(self) -> None:
        """Forget any per-batch state: the batch's transaction was rolled back."""


def handles(*event_classes: type) -> Callable[[Handler], Handler]:
    """Mark a method as the handler of the given event classes."""

    def mark(method: Handler) -> Handler:
        method._handles = event_classes  # type: ignore[attr-defined]
        return method

    return mark


class BatchedProjection(Projection):
    """A projection that gathers its row changes per batch in a `BatchWriter` (`self.rows`)
    and writes them with executemany when the batch ends."""

    def __init__(self) -> None:
        self.rows = BatchWriter()

    def flush(self, conn: Connection) -> None:
        self.rows.flush(conn)

    def discard(self) -> None:
        self.rows.clear()
