"""The documents recently typed words matched, per index generation."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from whoosh.query import Query


class TextCache:
    """Recently matched words in one index generation and the documents they match. Typing,
    ticking filters and paging repeat the same words, so matching happens once per words per
    generation, not once per request."""

    def __init__(self, limit: int = 256) -> None:
        self.limit = limit
        self.key: Any = None
        self.items: OrderedDict[str, int] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any, query: Query) -> int | None:
        with self.lock:
            if key != self.key:
                return None
            found = self.items.get(repr(query))
            if found is not None:
                self.items.move_to_end(repr(query))
            return found

    def put(self, key: Any, query: Query, mask: int) -> None:
        with self.lock:
            if key != self.key:
                self.key = key
                self.items.clear()
            self.items[repr(query)] = mask
            while len(self.items) > self.limit:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
