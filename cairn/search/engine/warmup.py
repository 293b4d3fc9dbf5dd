"""Reading an index's postings before anyone searches for them.

A word's first search in a worker reads its posting blocks from the index files (unpickled
and decompressed, block by block); for the commonest words at 100,000 listings that was the
cold tail of search (128 ms at p95). A node therefore reads the postings of its text fields'
words into its `PostingCache` in the background when it starts and after a merge (a merge
writes the postings into a new segment, which the cache has never read), commonest first,
because those are the slow ones, until a memory budget is spent; rare words are cheap to read
on demand. Field lengths are read too, since ranking needs them for every word."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cairn.search.engine.postings import PostingCache, segment_id_of

# Of the cache's limit, how much warm-up may fill: searches keep room for the rest.
BUDGET_SHARE = 0.75


@dataclass(frozen=True)
class Warmed:
    segments: int  # segments looked at (those the cache had not warmed before)
    words: int  # (field, word) posting lists read
    bytes: int
    seconds: float


class Warmer:
    """Which segments a cache has been warmed for, so that a new generation with one small new
    segment warms only that one, and a merge's new segment is warmed once."""

    def __init__(self, cache: PostingCache, fields: Sequence[str]) -> None:
        self.cache = cache
        self.fields = tuple(fields)
        self._done: set[str] = set()
        self._lock = threading.Lock()

    def warm(self, reader: Any, stop: threading.Event | None = None) -> Warmed:
        """Read the postings of the commonest words of the unwarmed segments of `reader`."""
        started = time.perf_counter()
        with self._lock:
            segments = [
                (segment, sid)
                for segment, _offset in reader.leaf_readers()
                if (sid := segment_id_of(segment)) is not None and sid not in self._done
            ]
        if not segments:
            return Warmed(0, 0, 0, 0.0)
        budget = int(self.cache.limit_bytes * BUDGET_SHARE)
        candidates: list[tuple[int, int, str, str]] = []
        for n, (segment, _sid) in enumerate(segments):
            for field in self.fields:
                if field not in segment.schema:
                    continue
                self.cache.lengths(segment, field)
                from_bytes = segment.schema[field].from_bytes
                for btext, info in segment.iter_field(field):
                    candidates.append((info.doc_frequency(), n, field, from_bytes(btext)))
        candidates.sort(key=lambda c: -c[0])
        words = spent = 0
        for _frequency, n, field, word in candidates:
            if stop is not None and stop.is_set():
                break
            spent += self.cache.postings(segments[n][0], field, word).size
            words += 1
            if spent >= budget:
                break
        with self._lock:
            self._done.update(sid for _segment, sid in segments)
        return Warmed(len(segments), words, spent, time.perf_counter() - started)

    def forget(self) -> None:
        with self._lock:
            self._done.clear()
